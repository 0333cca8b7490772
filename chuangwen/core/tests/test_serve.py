"""`chuangwen serve`, `worker` and `demo` run the real server and stop cleanly."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from chuangwen.core.management import processes
from chuangwen.core.management.commands import demo


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(data_dir) -> dict[str, str]:
    # Its own SQLite database and job queue, whatever database the suite runs on.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "HUEY_IMMEDIATE")}
    # The assertions read the English msgids; the product's default language is zh-hans.
    env.update(CHUANGWEN_DATA=str(data_dir), DJANGO_SETTINGS_MODULE="chuangwen.settings", LANGUAGE_CODE="en")
    return env


def _chuangwen(*args: str) -> list[str]:
    return [sys.executable, "-m", "chuangwen.cli", *args]


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_serve_with_worker_answers_and_stops_cleanly_on_sigterm(tmp_path):
    port = _free_port()
    log = tmp_path / "serve.log"
    # Migrated like a real deployment: the worker's periodic jobs (every 15 minutes) read tables,
    # and one firing during the test on an empty database would log a traceback.
    subprocess.run(_chuangwen("migrate", "--verbosity", "0"), env=_env(tmp_path), check=True, timeout=300)
    with log.open("w") as out:
        server = subprocess.Popen(
            _chuangwen("serve", "--with-worker", "--port", str(port), "--workers", "1"),
            env=_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        child = processes.Child("serve", [], process=server)
        assert processes.wait_until_serving(f"http://127.0.0.1:{port}/healthz", child, timeout=60), (
            log.read_text()
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css") as response:  # noqa: S310
            assert b"cw-countdown" in response.read(), "static files are collected and served"
        assert _wait_for(lambda: "Job worker started" in log.read_text()), log.read_text()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=45) == 0, log.read_text()
    finally:
        if server.poll() is None:
            server.kill()
    assert "Traceback" not in log.read_text()
    assert (tmp_path / "static" / "css" / "site.css").exists()
    assert _wait_for(lambda: processes.port_is_free("127.0.0.1", port), 10), "gunicorn outlived the command"


def _children_of(pid: int) -> dict[int, str]:
    """pid → command line of the direct children of `pid` (from /proc)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            found[int(entry)] = cmdline
    return found


def _worker_pid(server_pid: int) -> int | None:
    return next((pid for pid, cmd in _children_of(server_pid).items() if "chuangwen.cli worker" in cmd), None)


def test_the_web_server_keeps_serving_when_the_worker_crashes_and_the_worker_is_started_again(tmp_path):
    port = _free_port()
    log = tmp_path / "serve.log"
    subprocess.run(_chuangwen("migrate", "--verbosity", "0"), env=_env(tmp_path), check=True, timeout=300)
    with log.open("w") as out:
        server = subprocess.Popen(
            _chuangwen("serve", "--with-worker", "--port", str(port), "--workers", "1", "--no-collectstatic"),
            env=_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        child = processes.Child("serve", [], process=server)
        assert processes.wait_until_serving(f"http://127.0.0.1:{port}/healthz", child, timeout=60), (
            log.read_text()
        )
        assert _wait_for(lambda: "Job worker started" in log.read_text()), log.read_text()
        first = _worker_pid(server.pid)
        assert first is not None, _children_of(server.pid)
        os.kill(first, signal.SIGSEGV)  # what the HOG detector did to it
        assert _wait_for(lambda: "killed by signal 11" in log.read_text(), 20), log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:  # noqa: S310
            assert response.status == 200
        assert server.poll() is None, "the command stopped with its worker"
        assert _wait_for(lambda: log.read_text().count("Job worker started") == 2, 60), log.read_text()
        assert _worker_pid(server.pid) not in (None, first)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=45) == 0, log.read_text()
    finally:
        if server.poll() is None:
            server.kill()


def test_serve_refuses_a_database_that_lacks_migrations(tmp_path):
    result = subprocess.run(
        _chuangwen("serve", "--port", str(_free_port())),
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "chuangwen migrate" in result.stderr


def test_serve_refuses_a_port_in_use(tmp_path):
    # Migrated first: the console script refuses a database without tables before serve looks.
    subprocess.run(_chuangwen("migrate", "--verbosity", "0"), env=_env(tmp_path), check=True, timeout=300)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert not processes.port_is_free("127.0.0.1", port)
        result = subprocess.run(
            _chuangwen("serve", "--port", str(port)),
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"Port {port}" in result.stderr


def test_the_web_server_is_gunicorn_with_the_chosen_address():
    argv = processes.gunicorn_argv("0.0.0.0", 8080, workers=3, threads=4, timeout=60)  # noqa: S104
    assert argv[1:4] == ["-m", "gunicorn", "chuangwen.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8080"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--worker-class") + 1] == "gthread"
    assert processes.gunicorn_argv("::1", 8000, 1, 1, 30)[5] == "[::1]:8000"


def test_the_worker_refuses_to_start_when_jobs_run_inline():
    # The suite runs huey in immediate mode (conftest), as a misconfigured server would.
    with pytest.raises(CommandError, match="HUEY_IMMEDIATE"):
        call_command("worker")


@pytest.mark.django_db(transaction=True)
def test_demo_without_serving_prepares_the_database_and_prints_the_logins(monkeypatch, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []

    def fake_loader() -> list[tuple[str, str, str]]:
        calls.append(1)
        get_user_model().objects.create_user("demo_office")
        get_user_model().objects.create_superuser("demo_admin")
        return [("demo_office", "Demo-Passw0rd!", "Office admin"), ("demo_admin", "Demo-Passw0rd!", "Admin")]

    monkeypatch.setattr(demo, "load_demo_data", fake_loader)
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert calls == [1]
    assert "Office admin: demo_office / Demo-Passw0rd!" in out.getvalue()
    assert "The admin site (/admin/) opens with demo_admin only" in out.getvalue()
    assert (tmp_path / "static" / "css" / "site.css").exists()


def test_demo_refuses_a_port_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(CommandError, match="--port"):
            call_command("demo", port=busy.getsockname()[1], stdout=io.StringIO())
