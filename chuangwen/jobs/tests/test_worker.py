"""The ledger inside a real `chuangwen worker`: at start it runs again what a crashed worker
left, and sets aside a job that crashed a worker twice."""

from __future__ import annotations

import json
import signal
import subprocess

from chuangwen.core.tests.test_serve import _chuangwen, _env, _wait_for

SETUP = """
import json, socket, sys
from chuangwen.jobs.models import JobRun
rows = json.loads(sys.argv[1])
for row in rows:
    JobRun.objects.create(host=socket.gethostname()[:100], pid=2**22 + 7, state="running", **row)
"""
STATES = (
    "from chuangwen.jobs.models import JobRun; print(dict(JobRun.objects.values_list('task_id', 'state')))"
)


def _python(tmp_path, code: str) -> str:
    done = subprocess.run(
        _chuangwen("shell", "--no-imports", "-c", code),
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_starting_worker_reruns_a_job_a_crashed_worker_left_and_sets_aside_a_second_offender(tmp_path):
    subprocess.run(_chuangwen("migrate", "--verbosity", "0"), env=_env(tmp_path), check=True, timeout=300)
    name = "chuangwen.points.jobs.make_display_copies"
    rows = [
        {"task_id": "crashed-once", "name": name, "payload": {"args": [[]], "kwargs": {}}},
        {"task_id": "crashed-before", "name": name, "payload": {"args": [[]], "kwargs": {}}, "crashes": 1},
    ]
    code = SETUP.replace("sys.argv[1]", repr(json.dumps(rows)))
    _python(tmp_path, code)
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            _chuangwen("worker", "--no-periodic"), env=_env(tmp_path), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        # The replayed job ran and succeeded (its row is gone); the second offender is set aside.
        assert _wait_for(
            lambda: _python(tmp_path, STATES).strip() == "{'crashed-before': 'set_aside'}", 60
        ), _python(tmp_path, STATES) + log.read_text()
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=45)
    finally:
        if worker.poll() is None:
            worker.kill()
