"""`chuangwen bench load` end to end at a tiny size, and `--database` on any benchmark.

No timing is asserted: the figures are for the full-size run (docs/operations.md). Each test
runs the console script in a child process with its own data folder, on SQLite: the bench's
scratch database must never be the test run's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from chuangwen.core.management.commands.bench import DEFAULT_POSTGRES_URL, database_url_for


def _bench(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environ.update({"CHUANGWEN_DATA": str(tmp_path / "data"), "BENCH_PORT": "9355", **env})
    (tmp_path / "data").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "chuangwen.cli", "bench", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_database_option_picks_postgres_from_the_environment_or_the_default():
    assert database_url_for("sqlite", {"DATABASE_URL": "postgres://x@h/db"}) == ""
    assert database_url_for("postgres", {"DATABASE_URL": "postgres://x@h/db"}) == "postgres://x@h/db"
    assert database_url_for("postgres", {"BENCH_POSTGRES_URL": "postgres://y@h/b"}) == "postgres://y@h/b"
    assert database_url_for("postgres", {"DATABASE_URL": "sqlite:///a.db"}) == DEFAULT_POSTGRES_URL


def test_a_benchmark_asked_for_sqlite_runs_on_sqlite_whatever_database_url_says(tmp_path):
    # A PostgreSQL nobody can reach: only a bench that really switched to SQLite gets through.
    done = _bench(
        tmp_path,
        "tasks",
        "--scale",
        "0.0005",
        "--database",
        "sqlite",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/x",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["database"] == "sqlite"


@pytest.mark.skipif(not os.path.exists("/usr/bin/redis-server"), reason="needs redis-server")
def test_the_load_benchmark_serves_the_mix_through_gunicorn_and_finds_every_acknowledged_write(tmp_path):
    done = _bench(
        tmp_path, "load", "--scale", "0.0005", "--duration", "6", "--users", "8", "--database", "sqlite"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["area"] == "load" and result["database"] == "sqlite"
    assert result["data"]["stored"]["problems"] == result["data"]["sizes"]["problems"]
    assert result["ceiling"]["requests"] > 0 and result["ceiling"]["errors"] == 0
    step = result["steps"]["8"]
    assert step["requests"] > 0 and step["errors"] == 0, step["error_samples"]
    assert {"page", "api"} <= set(step["groups"])
    for group in step["groups"].values():
        assert {"p50_ms", "p95_ms", "p99_ms", "per_s"} <= set(group) or group["requests"] == 0
    writes = step["writes"]
    assert writes["lost"] == 0 and writes["duplicated"] == 0
    assert writes["found"] == writes["acknowledged"]
    assert set(result["verdicts"]) >= {"p95_ms_at_200", "errors_at_200", "share_of_ceiling_at_200"}
