"""`chuangwen bench load`: the deployed stack under the morning rush before an inspection.

1. A city-scale data set (3,000 units, 50,000 people, 5,000 points, 1,000,000 problems over a
   year, on top of the demo district with every role; times --scale) in a scratch database,
   built with INSERT … SELECT (see chuangwen.bench._stack).
2. `chuangwen serve` (gunicorn: --workers × --threads) and `chuangwen worker` (huey) on a
   Redis of the bench's own, started as a city runs them, on ports from BENCH_PORT (9350).
3. The ceiling: signed-in users with no think time on /api/accounts/me (a view that only reads
   the caller's scope), through the same gunicorn.
4. The realistic mix (chuangwen.bench._locust: liaisons, inspectors, the office's dispatcher,
   the public's 随手拍, leaders, and the office's bulletins in the background) at 50, 200 and
   500 concurrent users: requests/s, p50/p95/p99 per route group, errors, and the bulletin's
   turnaround (queue delay + the job) while the load runs.
5. Afterwards, every write the clients saw acknowledged (2xx) is looked up in the database.

Prints JSON; targets beside the figures. Run it on PostgreSQL: `--database postgres`.
"""

from __future__ import annotations

import math
import os
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.db import connection

from chuangwen.bench import _stack, scratch_database, verdict

LEVELS = (50, 200, 500)
TARGETS = {"p95_ms": 300.0, "errors": 0, "share_of_ceiling": 0.40, "bulletin_turnaround_s": 30.0}


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    levels = [int(x) for x in options.get("users") or LEVELS]
    duration = float(options.get("duration") or 60)
    workers = int(options.get("workers") or os.environ.get("BENCH_WEB_WORKERS") or 5)
    threads = int(options.get("threads") or os.environ.get("BENCH_WEB_THREADS") or 4)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale, levels, duration, workers, threads)


def _run(scale: float, levels: list[int], duration: float, workers: int, threads: int) -> dict[str, Any]:
    base_port = int(os.environ.get("BENCH_PORT", "9350"))
    with _stack.temp_folder() as tmp:
        folder = Path(tmp)
        data = _stack.city_data(scale, folder / "media")
        photo = _stack.photo_file(folder)
        with _stack.own_redis(folder, _stack.free_port(base_port + 40)) as redis_url:
            stack = _stack.Stack(folder, _stack.free_port(base_port), redis_url, workers, threads)
            try:
                stack.start_web()
                stack.start_worker()
                config = _stack.load_config(max(levels))
                common = {"base": stack.base, "photo": str(photo), "duration": duration}
                ceiling = _stack.drive(
                    {**config, **common, "ceiling": True, "users": min(50, max(levels))}, folder, "ceiling"
                )
                steps = {}
                for users in levels:
                    with _ConnectionSampler() as connections:
                        step = _stack.drive({**config, **common, "users": users}, folder, f"mix-{users}")
                    step["database_connections_peak"] = connections.peak
                    config["to_dispatch"] = config["to_dispatch"][len(step["writes"]) :]
                    step["load_average"] = _stack.load_average()
                    steps[str(users)] = step
            finally:
                stack.stop()
            server_errors = stack.tail("web", 400).count("Traceback")
    return _report(scale, data, ceiling, steps, workers, threads, server_errors)


class _ConnectionSampler:
    """The most connections the served stack held open on the database during a step (sampled
    every second from another thread): what tells whether a connection pooler is needed."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        from django.db import connection as conn

        try:
            while not self._stop.wait(1.0):
                if conn.vendor != "postgresql":
                    return
                with conn.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid()"
                    )
                    self.peak = max(self.peak, cursor.fetchone()[0])
        finally:
            conn.close()

    def __enter__(self) -> _ConnectionSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def check_writes(writes: list[dict[str, Any]]) -> dict[str, int]:
    """Every write the client saw acknowledged (2xx or the public form's redirect) is stored
    exactly once; the counts by outcome."""
    from chuangwen.materials.models import Submission
    from chuangwen.problems.models import Problem, ProblemPhoto

    acknowledged = [w for w in writes if 200 <= w["status"] < 400]
    # Status 0: the client stopped waiting (the run ended, or the connection broke).
    unanswered = [w for w in writes if not w["status"]]
    found = lost = duplicated = 0
    for write in acknowledged:
        kind = write["kind"]
        if kind == "problem":
            count = Problem.objects.filter(pk=write.get("id")).count()
        elif kind == "public":
            count = Problem.objects.filter(idempotency_key=write["key"]).count()
        elif kind == "problem_photo":
            count = 1 if ProblemPhoto.objects.filter(problem_id=write.get("problem")).exists() else 0
        elif kind == "filing":
            count = Submission.objects.filter(pk=write.get("id")).count()
        else:  # dispatches and bulletins change rows the data set already held
            count = 1
        found += count == 1
        lost += count == 0
        duplicated += count > 1
    return {
        "writes_sent": len(writes),
        "acknowledged": len(acknowledged),
        "found": found,
        "lost": lost,
        "duplicated": duplicated,
        "refused": len(writes) - len(acknowledged) - len(unanswered),
        "unanswered": len(unanswered),
    }


def _pages_and_api(step: dict[str, Any]) -> float:
    """The worst p95 over the route groups a person waits on (pages, API, writes)."""
    p95 = [g.get("p95_ms", 0) for name, g in step["groups"].items() if name in ("page", "api", "write")]
    return max(p95) if p95 else 0.0


def _report(
    scale: float,
    data: dict[str, Any],
    ceiling: dict[str, Any],
    steps: dict[str, dict[str, Any]],
    workers: int,
    threads: int,
    server_errors: int,
) -> dict[str, Any]:
    ceiling_rps = ceiling["requests_per_s"]
    figures: dict[str, Any] = {}
    for users, step in steps.items():
        turnaround = step.pop("bulletin_turnaround_s")
        writes = step.pop("writes")
        step["writes"] = check_writes(writes)
        step["bulletin_turnaround_s"] = [None if math.isinf(t) else round(t, 1) for t in turnaround]
        step["share_of_ceiling"] = round(step["requests_per_s"] / ceiling_rps, 2) if ceiling_rps else 0.0
        figures[users] = step
    target_step = figures.get("200") or figures[max(figures, key=int)]
    turnaround = target_step["bulletin_turnaround_s"]
    # No bulletin finished within the step (or one never did): the target is missed.
    worst_turnaround = None if (not turnaround or None in turnaround) else max(turnaround)
    verdicts = {
        "p95_ms_at_200": verdict(_pages_and_api(target_step), TARGETS["p95_ms"]),
        "errors_at_200": verdict(target_step["errors"], TARGETS["errors"]),
        "share_of_ceiling_at_200": verdict(
            target_step["share_of_ceiling"], TARGETS["share_of_ceiling"], lower_is_better=False
        ),
        "bulletin_turnaround_s_at_200": (
            verdict(worst_turnaround, TARGETS["bulletin_turnaround_s"])
            if worst_turnaround is not None
            else {"value": None, "target": TARGETS["bulletin_turnaround_s"], "ok": False}
        ),
        "writes_lost": verdict(
            sum(s["writes"]["lost"] + s["writes"]["duplicated"] for s in figures.values()), 0
        ),
    }
    return {
        "area": "load",
        "scale": scale,
        "database": connection.vendor,
        "data": data,
        "server": {"web_workers": workers, "threads_per_worker": threads, "job_worker_threads": 2},
        "ceiling": {k: ceiling[k] for k in ("requests", "errors", "requests_per_s", "groups")},
        "steps": figures,
        "server_tracebacks": server_errors,
        "load_average": _stack.load_average(),
        "targets": TARGETS,
        "verdicts": verdicts,
        "ok": all(v["ok"] for v in verdicts.values()),
    }
