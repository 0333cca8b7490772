#!/usr/bin/env python3
"""Start Chuangwen the way docs/operations.md says a city runs it, and fetch what a browser needs.

Usage (with the virtual environment's Python, the production settings in the environment:
STATIC_MANIFEST=true, DEBUG off, DATABASE_URL of an empty PostgreSQL database, REDIS_URL):

    .venv/bin/python scripts/smoke_production.py --port 9071

Steps: `chuangwen migrate`; `chuangwen check --deploy` must find nothing; `chuangwen serve
--with-worker` (gunicorn and the job worker on Redis); then, as nginx would ask (with
X-Forwarded-Proto: https), /healthz, the sign-in page, and the hashed static file that page links
to. The server is stopped with SIGTERM and its log must hold no traceback. Exit 1 on the first
failed step, with the server's log. .ci/run runs it in its own section.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("DATABASE_URL", "REDIS_URL")


class SmokeFailed(Exception):
    pass


def chuangwen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chuangwen.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    # The proxy's headers: with BEHIND_TLS_PROXY=true Django then treats the request as HTTPS.
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http to our own loopback server)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own loopback server)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def step(name: str, ok: bool, detail: str = "") -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail and not ok else ''}", flush=True)
    if not ok:
        raise SmokeFailed(name)


def wait_for_health(base: str, server: subprocess.Popen, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            status, _headers, _body = fetch(base + "/healthz")
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def check_the_site(base: str) -> None:
    status, _headers, body = fetch(base + "/healthz")
    step(
        "/healthz answers ok",
        status == 200 and json.loads(body).get("status") == "ok",
        f"{status} {body[:200]!r}",
    )

    status, headers, body = fetch(base + "/accounts/login/")
    page = body.decode("utf-8", "replace")
    step("the sign-in page renders", status == 200 and "<form" in page, f"{status} {page[:300]!r}")
    step("its session cookie is HTTPS-only", "secure" in headers.get("Set-Cookie", "").lower(), str(headers))
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    hashed = [link for link in links if re.search(r"\.[0-9a-f]{12}\.(?:css|js)$", link)]
    step(
        "it links hashed static files (STATIC_MANIFEST)", bool(hashed), ", ".join(links) or "no /static/ link"
    )

    status, headers, body = fetch(base + hashed[0])
    step(f"the static file {hashed[0]} is served", status == 200 and len(body) > 100, str(status))
    step("and cached for long", "max-age=315360000" in headers.get("Cache-Control", ""), str(headers))

    status, _headers, body = fetch(base + "/no-such-page/")
    step(
        "a missing page is a plain 404, not a debug page",
        status == 404 and b"URLconf" not in body,
        str(status),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=9071)
    port = parser.parse_args().port
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        print(f"smoke_production: set {', '.join(missing)} (see the docstring)", file=sys.stderr)
        return 2
    if os.environ.get("DEBUG", "false").lower() not in ("", "0", "false", "no", "off"):
        print("smoke_production: DEBUG must be off", file=sys.stderr)
        return 2
    base = f"http://127.0.0.1:{port}"
    log_path = Path(tempfile.mkstemp(prefix="chuangwen-serve-", suffix=".log")[1])
    server = None
    try:
        migrate = chuangwen("migrate", "--verbosity", "0")
        step("chuangwen migrate", migrate.returncode == 0, migrate.stderr[-2000:])
        check = chuangwen("check", "--deploy", "--fail-level", "WARNING")
        step("chuangwen check --deploy finds nothing", check.returncode == 0, check.stdout + check.stderr)
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "chuangwen.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "2",
                    "--with-worker",
                ],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        step(
            "chuangwen serve starts and answers", wait_for_health(base, server), log_path.read_text()[-3000:]
        )
        check_the_site(base)
        # The worker prints its queue's URL once it starts (in the interface language).
        deadline = time.monotonic() + 60
        while "redis://" not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)  # a few polls of the queue: a Redis it cannot reach would log errors
        step("the job worker runs on Redis", "redis://" in log_path.read_text(), log_path.read_text()[-3000:])
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=90)
        step("SIGTERM stops it cleanly", code == 0, f"exit {code}")
        text = log_path.read_text()
        step("its log holds no traceback", "Traceback" not in text, text[-3000:])
    except SmokeFailed:
        print("----- server log -----", file=sys.stderr)
        print(log_path.read_text()[-6000:], file=sys.stderr)
        return 1
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait(timeout=30)
        log_path.unlink(missing_ok=True)
    print("production start: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
