"""Each pytest-xdist worker gets its own data folder (and media root, if one is set).

Loaded with `-p chuangwen.tests.workers` (pyproject's addopts) so that it runs before
pytest-django reads the settings: the settings take the data folder from CHUANGWEN_DATA when
they are imported, and two workers sharing one folder would race on the generated secret and
audit keys, the SQLite file, the media files and the archives. The workers also inherit this
environment in the subprocesses they start (`chuangwen serve`, the CLI tests).

Outside xdist (no PYTEST_XDIST_WORKER) nothing changes. AUDIT_CHECKPOINT_FILE, when set, is
suffixed the same way. The databases need nothing here:
pytest-django gives each worker its own test database (test_NAME_gw0, ...), and the live
server binds a free port the system chooses.
"""

from __future__ import annotations

import os
from pathlib import Path


def worker_id() -> str | None:
    """'gw0', 'gw1', ... in a pytest-xdist worker; None in a serial run or in the controller."""
    return os.environ.get("PYTEST_XDIST_WORKER") or None


def worker_index() -> int:
    """0 in a serial run, else the worker's number (gw3 -> 3)."""
    worker = worker_id()
    return int(worker[2:]) if worker and worker[2:].isdigit() else 0


def worker_count() -> int:
    return int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)


def _separate(variable: str, default: Path | None, worker: str) -> None:
    base = os.environ.get(variable)
    if base is None and default is None:
        return
    folder = Path(base) if base else default
    mine = folder / worker
    mine.mkdir(parents=True, exist_ok=True)
    os.environ[variable] = str(mine)


def _isolate() -> None:
    worker = worker_id()
    if worker is None or os.environ.get("CHUANGWEN_WORKER_ISOLATED") == worker:
        return
    _separate("CHUANGWEN_DATA", Path.cwd() / "data", worker)
    # WhiteNoise warns about a missing STATIC_ROOT (scripts/test.sh makes the shared one).
    (Path(os.environ["CHUANGWEN_DATA"]) / "static").mkdir(exist_ok=True)
    _separate("MEDIA_ROOT", None, worker)
    checkpoints = os.environ.get("AUDIT_CHECKPOINT_FILE")
    if checkpoints:
        os.environ["AUDIT_CHECKPOINT_FILE"] = f"{checkpoints}.{worker}"
    os.environ["CHUANGWEN_WORKER_ISOLATED"] = worker


_isolate()
