"""The load generator of `chuangwen bench load` and `chuangwen bench faults`: Locust as a library.

Run as its own process (`python -m chuangwen.bench._locust CONFIG.json OUT.json`): Locust
patches the standard library with gevent, which must never happen inside the process that
holds Django's database connections. It imports nothing of Django; everything it needs (the
server's address, session cookies per role, ids to act on, a photo) is in the config file the
benchmark writes, and it writes the statistics and its log of write answers as JSON.

Roles and what they do on the morning before an inspection (weights = share of the users):
- liaison (6): the unit's inbox page, its tasks, the materials it owes; files a material with
  a photo now and then;
- inspector (2): reports a problem through the API, then adds its photo;
- dispatcher (1): the office's console, dispatches a problem waiting in the queue;
- public (2): the 随手拍 form: a citizen posts a report with a photo (behind the proxy, from
  their own address);
- leader (1): the dashboard and the rates.
One more user (the office, in the background) asks for a bulletin now and then and polls it
until the document is ready: its turnaround is the worker's queue delay plus the job itself.
Every request is named by its route group, so the statistics come out per group.
"""

# Random picks of fake data is what a load generator is made of.
# ruff: noqa: S311

from __future__ import annotations

# The load generator must patch the standard library before anything else imports it.
from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, constant, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

CONFIG: dict[str, Any] = {}
WRITES: list[dict[str, Any]] = []
TURNAROUNDS: list[float] = []
CSRF = "b" * 32  # any 32-character token: Django compares the header with the cookie


def _write(kind: str, key: str, response: Any, **extra: Any) -> None:
    WRITES.append(
        {"kind": kind, "key": key, "status": getattr(response, "status_code", 0), "t": time.time(), **extra}
    )


class _Signed(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        cookie = random.choice(CONFIG["sessions"][self.role])
        self.client.cookies.set("sessionid", cookie)
        self.client.cookies.set("csrftoken", CSRF)
        self.client.headers.update({"X-CSRFToken": CSRF, "Referer": self.host + "/"})

    def get(self, url: str, name: str) -> Any:
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response

    def photo(self) -> tuple[str, bytes, str]:
        return ("photo.jpg", CONFIG["photo_bytes"], "image/jpeg")


class Liaison(_Signed):
    role = "liaison"
    weight = 6

    @task(4)
    def inbox(self) -> None:
        self.get("/problems/inbox/", "page: inbox")

    @task(2)
    def my_tasks(self) -> None:
        self.get("/api/tasks/mine", "api: tasks/mine")
        self.get("/tasks/mine/", "page: tasks/mine")

    @task(2)
    def due(self) -> None:
        self.get("/api/materials/due", "api: materials/due")

    @task(1)
    def file_material(self) -> None:
        filing = CONFIG["filing"]
        key = uuid.uuid4().hex
        data = {
            "requirement_id": filing["requirement_id"],
            "unit_id": filing["unit_id"],
            "title": f"负载测试活动{key[:6]}",
            "period": filing.get("period", ""),
            "activity_date": filing["activity_date"],
            "place": "负载测试广场",
            "description": "负载测试",
        }
        with self.client.post(
            "/api/materials/submissions",
            data=data,
            files=[("files", self.photo())],
            headers={"Idempotency-Key": key},
            name="write: material filing",
            catch_response=True,
        ) as response:
            ok = response.status_code in (200, 201)
            if not ok:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            body = response.json() if ok else {}
            _write("filing", key, response, id=body.get("id"))


class Inspector(_Signed):
    role = "inspector"
    weight = 2

    @task
    def report(self) -> None:
        key = uuid.uuid4().hex
        lat, lng = random.choice(CONFIG["positions"])
        payload = {
            "category_id": random.choice(CONFIG["categories"]),
            "description": f"负载测试问题{key[:6]}",
            "lat": lat,
            "lng": lng,
            "address": "负载测试路",
            "source": "patrol",
        }
        with self.client.post(
            "/api/problems/",
            json=payload,
            headers={"Idempotency-Key": key},
            name="write: problem report",
            catch_response=True,
        ) as response:
            ok = response.status_code in (200, 201)
            if not ok:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                _write("problem", key, response)
                return
            problem_id = response.json()["id"]
            _write("problem", key, response, id=problem_id)
        photo_key = uuid.uuid4().hex
        with self.client.post(
            f"/api/problems/{problem_id}/photos",
            data={"kind": "before"},
            files=[("files", self.photo())],
            headers={"Idempotency-Key": photo_key},
            name="write: problem photo",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            _write("problem_photo", photo_key, response, problem=problem_id)


class Dispatcher(_Signed):
    role = "dispatcher"
    weight = 1

    @task(2)
    def console(self) -> None:
        self.get("/problems/console/", "page: problems/console")

    @task(3)
    def dispatch(self) -> None:
        queue = CONFIG["to_dispatch"]
        if not queue:
            self.get("/api/problems/?status=reported", "api: problems?status")
            return
        problem_id = queue.pop()
        # The dispatcher opens the problem, then sends it on with the version they saw.
        opened = self.get(f"/api/problems/{problem_id}", "api: problem")
        if opened.status_code != 200:
            return
        with self.client.post(
            f"/api/problems/{problem_id}/dispatch",
            json={
                "unit_id": random.choice(CONFIG["dispatch_units"]),
                "force": True,
                "version": opened.json()["version"],
            },
            name="write: dispatch",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            _write("dispatch", str(problem_id), response, id=problem_id)


class Public(HttpUser):
    weight = 2
    wait_time = between(1.0, 3.0)

    @task
    def report(self) -> None:
        # A citizen behind the city's proxy: their own address, their own phone's cookie.
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        self.client.cookies.clear()
        self.client.cookies.set("csrftoken", CSRF)
        self.client.cookies.set(CONFIG["device_cookie"], uuid.uuid4().hex)
        headers = {"X-Forwarded-For": address, "X-CSRFToken": CSRF, "Referer": self.host + "/report/"}
        with self.client.get(
            "/report/", name="page: public report form", headers=headers, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
        key = uuid.uuid4().hex
        lat, lng = random.choice(CONFIG["positions"])
        data = {
            "category": random.choice(CONFIG["categories"]),
            "description": f"市民随手拍{key[:6]}",
            "address": "负载测试路",
            "lat": f"{lat:.6f}",
            "lng": f"{lng:.6f}",
            "idempotency_key": key,
            "csrfmiddlewaretoken": CSRF,
        }
        with self.client.post(
            "/report/",
            data=data,
            files=[("photos", ("photo.jpg", CONFIG["photo_bytes"], "image/jpeg"))],
            headers=headers,
            name="write: public report",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
            _write("public", f"public:{key}", response)


class Leader(_Signed):
    role = "leader"
    weight = 1

    @task(3)
    def dashboard(self) -> None:
        self.get("/dashboard/", "page: dashboard")

    @task(1)
    def rates(self) -> None:
        self.get("/api/problems/rates", "api: problems/rates")


class Office(_Signed):
    """The office's background work: a bulletin generated, polled until its files are ready."""

    role = "office"
    weight = 0
    fixed_count = 1
    wait_time = constant(1.0)

    @task
    def bulletin(self) -> None:
        job = CONFIG["bulletin"]
        day = random.randrange(1, 28)
        payload = {
            "campaign_id": job["campaign_id"],
            "start": f"{job['year']}-{job['month']:02d}-01",
            "end": f"{job['year']}-{job['month']:02d}-{day:02d}",
        }
        asked = time.time()
        with self.client.post(
            "/api/bulletins/generate", json=payload, name="write: bulletin generate", catch_response=True
        ) as response:
            if response.status_code != 202:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return
            bulletin_id = response.json()["id"]
        _write("bulletin", str(bulletin_id), response, id=bulletin_id)
        while time.time() - asked < CONFIG["job_timeout"]:
            gevent.sleep(0.5)
            status = self.get(f"/api/bulletins/{bulletin_id}/status", "api: bulletin status")
            if status.status_code == 200 and status.json().get("files_ready"):
                TURNAROUNDS.append(time.time() - asked)
                return
            if status.status_code == 200 and status.json().get("job_state") == "failed":
                return
        TURNAROUNDS.append(float("inf"))


class Ceiling(_Signed):
    """The ceiling: a signed-in request to a route that only reads the caller's scope."""

    role = "ceiling"
    wait_time = constant(0)

    @task
    def me(self) -> None:
        self.get("/api/accounts/me", "ceiling: api/accounts/me")


def _group(name: str) -> str:
    return name.split(":", 1)[0]


def run(config: dict[str, Any]) -> dict[str, Any]:
    CONFIG.update(config)
    CONFIG["photo_bytes"] = Path(config["photo"]).read_bytes()
    classes = [Ceiling] if config.get("ceiling") else [Liaison, Inspector, Dispatcher, Public, Leader, Office]
    for cls in classes:
        cls.host = config["base"]
    env = Environment(user_classes=classes, events=events)
    runner = env.create_local_runner()
    users = int(config["users"])
    runner.start(users, spawn_rate=float(config.get("spawn_rate", max(10, users / 10))))
    while runner.user_count < users and runner.state != "stopped":
        gevent.sleep(0.2)
    gevent.sleep(float(config.get("settle", 2)))
    env.stats.reset_all()  # measure the steady state, not the ramp
    started = time.time()
    gevent.sleep(float(config["duration"]))
    seconds = time.time() - started
    snapshot = _stats(env, seconds)
    runner.quit()
    return {**snapshot, "writes": WRITES, "bulletin_turnaround_s": TURNAROUNDS}


def _stats(env: Environment, seconds: float) -> dict[str, Any]:
    routes: dict[str, Any] = {}
    groups: dict[str, Any] = {}
    for entry in env.stats.entries.values():
        routes[entry.name] = _entry(entry, seconds)
    for group in sorted({_group(name) for name in routes}):
        merged = None
        for entry in env.stats.entries.values():
            if _group(entry.name) != group:
                continue
            if merged is None:
                from locust.stats import StatsEntry

                merged = StatsEntry(env.stats, group, "")
            merged.extend(entry)
        if merged is not None:
            groups[group] = _entry(merged, seconds)
    total = env.stats.total
    errors = [
        {"route": e.name, "error": str(e.error)[:300], "count": e.occurrences}
        for e in env.stats.errors.values()
    ]
    return {
        "seconds": round(seconds, 1),
        "requests": total.num_requests,
        "errors": total.num_failures,
        "requests_per_s": round(total.num_requests / seconds, 1) if seconds else 0.0,
        "groups": groups,
        "routes": routes,
        "error_samples": sorted(errors, key=lambda e: -e["count"])[:10],
    }


def _entry(entry: Any, seconds: float) -> dict[str, Any]:
    if not entry.num_requests:
        return {"requests": 0, "errors": entry.num_failures}
    return {
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "per_s": round(entry.num_requests / seconds, 1) if seconds else 0.0,
        "p50_ms": entry.get_response_time_percentile(0.50),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
    }


if __name__ == "__main__":
    result = run(json.loads(Path(sys.argv[1]).read_text()))
    Path(sys.argv[2]).write_text(json.dumps(result, ensure_ascii=False))
