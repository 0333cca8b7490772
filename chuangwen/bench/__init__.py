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


def post_share(user_id: int, url: str, bodies: list[str], ok: tuple[int, ...], key_header: bool) -> int:
    """POST each body as the user through the whole stack; the number of unexpected answers."""
    import uuid

    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    headers = {}
    failures = 0
    for body in bodies:
        if key_header:
            headers = {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}
        response = client.post(url, body, content_type="application/json", **headers)
        failures += response.status_code not in ok
    return failures


def _share_worker(results: Any, *args: Any) -> None:
    from django.db import connections

    connections.close_all()  # never share the parent's connection with a forked child
    try:
        results.put(post_share(*args))
    finally:
        connections.close_all()


def post_in_processes(
    user_id: int,
    url: str,
    shares: list[list[str]],
    ok: tuple[int, ...] = (200, 201),
    key_header: bool = False,
) -> dict[str, Any]:
    """POST each share of JSON bodies from its own forked process (as a server runs one worker
    process per core), as the user, with the clock running over all of them. `key_header`
    sends a fresh Idempotency-Key with each request. The caller needs a database the children
    can open (not SQLite in memory, not inside an open transaction)."""
    import multiprocessing

    from django.db import connections

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    connections.close_all()
    processes = [
        context.Process(target=_share_worker, args=(results, user_id, url, share, ok, key_header))
        for share in shares
    ]
    start = time.perf_counter()
    for process in processes:
        process.start()
    failures = sum(results.get(timeout=600) for _ in processes)
    for process in processes:
        process.join()
    seconds = time.perf_counter() - start
    total = sum(len(share) for share in shares)
    return {
        "workers": len(shares),
        "requests": total,
        "seconds": round(seconds, 2),
        "failures": failures,
        "per_s": round(total / seconds, 1),
    }


def can_fork_clients() -> bool:
    """Forked client processes need a database they can open themselves: not SQLite in memory,
    and not data held in an open transaction (the test suite's)."""
    from django.db import connection

    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return not in_memory and not connection.in_atomic_block
