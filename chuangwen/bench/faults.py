"""`chuangwen bench faults`: the stack broken on purpose under load, then nothing may be lost.

The bench starts everything it breaks: its own PostgreSQL cluster (initdb in a temp folder,
its own port), its own Redis (append-only file on, as a city must run it), `chuangwen serve`
and `chuangwen worker`, and signals only those processes, by PID. While the load generator
(chuangwen.bench._locust, the same mix as `bench load`) runs, in turn:

1. kill -9 one gunicorn worker;
2. kill -9 the job worker in the middle of a bulletin generation (then start it again, as
   systemd does);
3. kill -9 the job worker in the middle of an evidence check of a filing (and start it again);
4. restart PostgreSQL;
5. restart Redis;
6. make the media storage fail for 30 s (the media folder replaced by a file: every write is
   refused, even for root).

Afterwards, from the client's own log of answers: every write answered 2xx is in the database
exactly once with its files; no half-written record (a public report or a filing without its
photos, a photo row without its file); files no row names (orphans) are counted, then swept;
every job ran or is marked failed with a reason the office sees (no job left "running", no
bulletin requested and never finished). Prints the counts; `ok` is false (and the command
fails) on any loss.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.db import connection

from chuangwen.bench import _stack, scratch_database
from chuangwen.bench.load import check_writes

OUTAGE_SECONDS = 30.0


def run(options: dict[str, Any]) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise RuntimeError("chuangwen bench faults runs on PostgreSQL: add --database postgres")
    scale = float(options.get("scale") or 1.0)
    users = int((options.get("users") or [50])[0])
    outage = float(options.get("outage") or OUTAGE_SECONDS)
    base_port = int(os.environ.get("BENCH_PORT", "9350"))
    with _stack.temp_folder() as tmp:
        folder = Path(tmp)
        postgres = _stack.OwnPostgres(_stack.free_port(base_port + 30))
        postgres.start()
        try:
            postgres.point_django_here()
            with scratch_database():
                return _run(folder, postgres, scale, users, outage, base_port)
        finally:
            connection.close()
            postgres.stop()


def _run(
    folder: Path, postgres: _stack.OwnPostgres, scale: float, users: int, outage: float, base_port: int
) -> dict[str, Any]:
    data = _stack.city_data(scale, folder / "media")
    photo = _stack.photo_file(folder)
    redis = _stack.OwnRedis(folder / "redis", _stack.free_port(base_port + 40))
    redis.start()
    stack = _stack.Stack(folder, _stack.free_port(base_port), redis.url, workers=3, threads=4)
    faults: list[dict[str, Any]] = []
    try:
        stack.start_web()
        stack.start_worker()
        config = _stack.load_config(users)
        config.update({"base": stack.base, "photo": str(photo), "users": users, "settle": 0})
        config["duration"] = 60 + 2 * outage + 90
        config["job_timeout"] = 300
        out_path = folder / "faults.out.json"
        config_path = folder / "faults.json"
        config_path.write_text(json.dumps(config, ensure_ascii=False))
        driver = subprocess.Popen(
            [sys.executable, "-m", "chuangwen.bench._locust", str(config_path), str(out_path)],
            stdout=subprocess.DEVNULL,
            stderr=open(folder / "locust.log", "ab"),  # noqa: SIM115 (the child keeps it)
        )
        time.sleep(10)
        faults.append(_kill_a_web_worker(stack))
        time.sleep(5)
        faults.append(_kill_the_worker_during(stack, "bulletin", timeout=60))
        time.sleep(5)
        # The evidence checks of a filing run as materials.jobs.check_submission.
        faults.append(_kill_the_worker_during(stack, "check_submission", timeout=60))
        time.sleep(5)
        faults.append(_timed("restart PostgreSQL", postgres.restart))
        time.sleep(10)
        faults.append(_timed("restart Redis", redis.restart))
        time.sleep(10)
        faults.append(_media_outage(folder / "media", outage))
        driver.wait(timeout=config["duration"] + 600)
        client = json.loads(out_path.read_text())
        bulletins = [w.get("id") for w in client["writes"] if w["kind"] == "bulletin" and w["status"] == 202]
        drained = _wait_for_jobs(bulletins, timeout=240)
    finally:
        stack.stop()
        redis.stop()
    connection.close()  # the cluster was restarted under this process's connection
    checks = integrity(client["writes"], folder / "media")
    loss = checks["writes"]["lost"] + checks["writes"]["duplicated"] + checks["half_written"]["total"]
    loss += checks["jobs"]["left_running"] + checks["jobs"]["failed_without_reason"]
    loss += checks["jobs"]["bulletins_never_finished"]
    return {
        "area": "faults",
        "scale": scale,
        "database": connection.vendor,
        "data": data,
        "users": users,
        "faults": faults,
        "client": {k: client[k] for k in ("seconds", "requests", "errors", "requests_per_s", "groups")},
        "error_samples": client["error_samples"],
        "jobs_drained": drained,
        **checks,
        "server_tracebacks": stack.tail("web", 5000).count("Traceback"),
        "load_average": _stack.load_average(),
        "ok": loss == 0,
        "must_pass": True,
    }


def _timed(name: str, action: Any) -> dict[str, Any]:
    start = time.perf_counter()
    action()
    return {"fault": name, "seconds": round(time.perf_counter() - start, 1), "done": True}


def _kill_a_web_worker(stack: _stack.Stack) -> dict[str, Any]:
    pids = stack.web_worker_pids()
    if not pids:
        return {"fault": "kill -9 a gunicorn worker", "done": False}
    os.kill(pids[0], signal.SIGKILL)
    return {"fault": "kill -9 a gunicorn worker", "pid": pids[0], "done": True}


def _kill_the_worker_during(stack: _stack.Stack, job: str, timeout: float) -> dict[str, Any]:
    """kill -9 the job worker (its whole process group: the image decoders with it) while a
    job whose name holds `job` runs, then start it again."""
    from chuangwen.jobs.models import JobRun, JobState

    name = f"kill -9 the job worker during a {job} job"
    deadline = time.monotonic() + timeout
    caught = None
    while time.monotonic() < deadline:
        caught = (
            JobRun.objects.filter(state=JobState.RUNNING, name__icontains=job)
            .values("task_id", "name")
            .first()
        )
        if caught:
            break
        time.sleep(0.05)
    process = stack.processes.pop("worker")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(2)
    stack.start_worker()
    return {"fault": name, "during": caught, "done": caught is not None}


def _media_outage(media: Path, seconds: float) -> dict[str, Any]:
    """The media folder becomes a file for `seconds`: writes and reads fail, as a full disk or
    an unmounted volume does."""
    away = media.with_name("media.away")
    media.mkdir(parents=True, exist_ok=True)
    media.rename(away)
    media.write_text("storage down")
    try:
        time.sleep(seconds)
    finally:
        media.unlink()
        away.rename(media)
    return {"fault": f"media storage down for {seconds:.0f} s", "seconds": seconds, "done": True}


def _wait_for_jobs(bulletins: list[int], timeout: float) -> bool:
    """Wait until no job is running or waiting to be retried and every bulletin asked for is
    generated or failed (the queue drained)."""
    from chuangwen.bulletins.models import Bulletin
    from chuangwen.bulletins.models import JobState as BulletinJob
    from chuangwen.jobs.models import JobRun, JobState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close()
        with contextlib.suppress(Exception):
            busy = JobRun.objects.filter(
                state__in=(JobState.RUNNING, JobState.RETRYING, JobState.INTERRUPTED)
            ).exists()
            waiting = Bulletin.objects.filter(
                pk__in=bulletins, job_state__in=(BulletinJob.QUEUED, BulletinJob.RUNNING)
            ).exists()
            if not busy and not waiting:
                return True
        time.sleep(2)
    return False


def integrity(writes: list[dict[str, Any]], media: Path) -> dict[str, Any]:
    """What the database and the media folder hold, against the client's log of answers."""
    from chuangwen.bulletins.models import Bulletin
    from chuangwen.core import sweep
    from chuangwen.jobs.models import JobRun, JobState
    from chuangwen.materials.models import Photo, Submission
    from chuangwen.problems.models import Channel, Problem, ProblemPhoto

    def missing(names: list[str]) -> int:
        return sum(1 for name in names if name and not (media / name).is_file())

    public = Problem.objects.filter(channel=Channel.PUBLIC, idempotency_key__startswith="public:")
    public_without_photos = public.exclude(pk__in=ProblemPhoto.objects.values("problem_id")).count()
    filings = Submission.objects.filter(title__startswith="负载测试活动")
    filings_without_photos = filings.exclude(pk__in=Photo.objects.values("submission_id")).count()
    problem_files = [n for pair in ProblemPhoto.objects.values_list("original", "display") for n in pair]
    filing_files = [
        n
        for pair in Photo.objects.filter(submission__in=filings).values_list("original", "display")
        for n in pair
    ]
    referenced = sweep.referenced_names()
    on_disk = [
        str(path.relative_to(media))
        for path in media.rglob("*")
        if path.is_file() and "cache" not in path.parts
    ]
    orphans = [name for name in on_disk if name not in referenced]
    bulletin_ids = [w.get("id") for w in writes if w["kind"] == "bulletin" and 200 <= w["status"] < 300]
    bulletins = Bulletin.objects.filter(pk__in=bulletin_ids)
    # A bulletin whose job was given up on is "failed with a reason the office sees" when the
    # job list (/jobs/) shows its run as failed or set aside, with the reason.
    given_up = set()
    for run in JobRun.objects.filter(
        name__icontains="bulletin", state__in=(JobState.FAILED, JobState.SET_ASIDE)
    ).exclude(error=""):
        given_up.update(a for a in (run.payload or {}).get("args", []) if isinstance(a, int))
    never_finished = sum(
        1
        for b in bulletins
        if not b.files_ready and not (b.job_state == "failed" and b.job_error) and b.pk not in given_up
    )
    return {
        "writes": check_writes(writes),
        "half_written": {
            "public_reports_without_photos": public_without_photos,
            "filings_without_photos": filings_without_photos,
            "photo_rows_without_file": missing(problem_files) + missing(filing_files),
            "total": public_without_photos
            + filings_without_photos
            + missing(problem_files)
            + missing(filing_files),
        },
        "orphan_files": {"found": len(orphans), "examples": orphans[:5]},
        "jobs": {
            "left_running": JobRun.objects.filter(state=JobState.RUNNING).count(),
            "failed_with_reason": JobRun.objects.filter(state=JobState.FAILED).exclude(error="").count(),
            "failed_without_reason": JobRun.objects.filter(state=JobState.FAILED, error="").count(),
            "set_aside": JobRun.objects.filter(state=JobState.SET_ASIDE).count(),
            "bulletins_requested": len(bulletin_ids),
            "bulletins_never_finished": never_finished,
            "bulletin_states": [
                {"id": b.pk, "state": b.job_state, "progress": b.progress, "stage": b.job_stage}
                for b in bulletins
            ],
        },
    }
