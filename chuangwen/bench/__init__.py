"""Benchmarks: `chuangwen bench <area>` runs `chuangwen.bench.<area>.run(options)` and prints JSON.

Each benchmark builds its own data in a throw-away database (see `scratch_database`), measures
the product's code path and the raw-SQL (or raw-library) equivalent in the same run, and
reports targets beside the measurements. Nothing here runs in the test suite as a timed test;
the suite only smoke-tests each benchmark at a tiny size.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    if not ordered:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "n": 0}

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "p50_ms": round(pick(0.50), 2),
        "p95_ms": round(pick(0.95), 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "n": len(ordered),
    }


def sample(fn: Callable[[], Any], repeat: int = 30, warmup: int = 3) -> dict[str, float]:
    """Call fn repeatedly; p50/p95 in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return percentiles(times)


@contextmanager
def measure() -> Iterator[dict[str, float]]:
    """Wall time and peak Python heap (tracemalloc) of the block, filled in on exit."""
    result: dict[str, float] = {}
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = round(time.perf_counter() - start, 3)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["peak_mb"] = round(peak / 1024 / 1024, 1)


def verdict(value: float, target: float, lower_is_better: bool = True) -> dict[str, Any]:
    ok = value <= target if lower_is_better else value >= target
    return {"value": value, "target": target, "ok": ok}


@contextmanager
def scratch_database() -> Iterator[str]:
    """A fresh, migrated database for the benchmark, dropped afterwards.

    It is Django's test database (test_<name> on PostgreSQL; a temporary *file* on SQLite so
    that WAL and the page cache behave as in production), never the configured one.
    """
    import tempfile
    from pathlib import Path

    from django.db import connection

    tmp = None
    if connection.vendor == "sqlite":
        tmp = tempfile.TemporaryDirectory(prefix="cw-bench-")
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp.name) / "bench.sqlite3")
    old_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp is not None:
            tmp.cleanup()
