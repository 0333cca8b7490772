#!/usr/bin/env python3
"""Fuzz the API's OpenAPI document with schemathesis as every role; fail on any 5xx.

Run by .ci/run with the Python of a separate virtual environment that holds schemathesis (it
is not a project dependency: docs/decisions.md). Against a running server (the demo), for each
role it signs in through the login page like a browser (session cookie and CSRF token), then
runs `st run` bounded by --max-examples per operation and a fixed seed, so a run is
repeatable and takes minutes. Prints the case counts per role and in total as JSON.

    python scripts/fuzz_api.py --base http://127.0.0.1:9021 --password 'Demo-Cw-2026!'
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

# Demo logins, one per role. The office runs last: its writes (deactivating a user, closing a
# campaign) must not pull the ground from under the other roles' runs.
ROLES = ("leader", "liaison", "unit_admin", "inspector", "enumerator", "duty", "office")


def sign_in(base: str, username: str, password: str) -> tuple[str, str]:
    """(sessionid, csrftoken) of a fresh session, signed in through the login page."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    page.raise_for_status()
    token = session.cookies.get("csrftoken") or ""
    done = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    sessionid = session.cookies.get("sessionid")
    if done.status_code != 302 or not sessionid:
        raise SystemExit(f"could not sign in as {username}: HTTP {done.status_code}")
    return sessionid, session.cookies.get("csrftoken") or token


def run_role(st: str, base: str, role: str, password: str, args: argparse.Namespace) -> dict:
    sessionid, csrf = sign_in(base, role, password)
    report = Path(args.reports).resolve() / f"{role}.xml"
    command = [
        st, "run", f"{base}/api/openapi.json",
        "--url", base,
        "-H", f"Cookie: sessionid={sessionid}; csrftoken={csrf}",
        "-H", f"X-CSRFToken: {csrf}",
        "-H", f"Referer: {base}/",
        "--checks", "not_a_server_error",
        "--max-examples", str(args.max_examples),
        "--phases", args.phases if role == args.deep_role else "examples,fuzzing",
        "--seed", str(args.seed),
        "--workers", str(args.workers),
        "--request-timeout", "30",
        "--suppress-health-check", "all",
        "--no-color",
        "--report", "junit",
        "--report-junit-path", str(report),
    ]  # fmt: skip
    started = time.monotonic()
    # Run in the reports folder: schemathesis keeps its example cache in ./.schemathesis.
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=report.parent)  # noqa: S603
    output = result.stdout + result.stderr
    cases = sum(int(n) for n in re.findall(r"(\d+) generated", output)) or _cases_in(report)
    summary = {
        "role": role,
        "exit": result.returncode,
        "cases": cases,
        "seconds": round(time.monotonic() - started, 1),
    }
    if result.returncode != 0 or args.verbose:
        summary["output"] = output[-6000:]
    return summary


def _cases_in(report: Path) -> int:
    try:
        text = report.read_text(encoding="utf-8")
    except OSError:
        return 0
    return len(re.findall(r"<testcase ", text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:9021")
    parser.add_argument("--password", required=True)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--max-examples", type=int, default=4, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=23)
    # The coverage phase (boundary values of every parameter: 2^63, "", -1, ...) is what found
    # the past 5xx; it runs as the role that reaches the most code, the others run fuzzing only.
    parser.add_argument("--deep-role", default="office")
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reports", default="fuzz-reports")
    parser.add_argument("--verbose", action="store_true", help="print schemathesis' output")
    parser.add_argument("--st", default=str(Path(sys.executable).with_name("st")))
    args = parser.parse_args()
    Path(args.reports).mkdir(parents=True, exist_ok=True)
    results = [run_role(args.st, args.base, role, args.password, args) for role in args.roles.split(",")]
    for item in results:
        if "output" in item:
            print(
                f"===== {item['role']}: schemathesis exit {item['exit']} =====\n{item['output']}",
                file=sys.stderr,
            )
    total = {
        "cases": sum(r["cases"] for r in results),
        "seconds": round(sum(r["seconds"] for r in results), 1),
    }
    print(
        json.dumps(
            {"roles": [{k: v for k, v in r.items() if k != "output"} for r in results], "total": total}
        )
    )
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
