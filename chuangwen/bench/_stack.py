"""The deployed stack for `chuangwen bench load` and `chuangwen bench faults`: a city-scale data
set built with bulk SQL, and the processes a city runs (`chuangwen serve`, i.e. gunicorn, and
`chuangwen worker` on Redis), started and stopped by the benchmark itself.

Kept apart from the benchmarks so both use the same data set and the same servers. Every
process started here is remembered by its PID and only those are signalled.
"""

# Hand-written SQL (table and column names interpolated, values as parameters) and a seeded
# generator are what a benchmark is made of.
# ruff: noqa: S311, S608

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

# Full size (scale 1.0): what a prefecture-level city holds after a year of campaign.
SIZES = {"units": 3000, "people": 50_000, "points": 5000, "problems": 1_000_000}
CHUNK = 100_000


# ---------------------------------------------------------------- the data set


def city_data(scale: float, media: Path) -> dict[str, Any]:
    """The demo district (every role, a campaign, requirements, checklists) plus the volume of a
    city cloned from its rows with INSERT … SELECT; returns what the load generator needs. The
    demo's photos go to `media`, the served stack's storage."""
    from django.test import override_settings

    from chuangwen.demo.loader import load_demo

    with override_settings(MEDIA_ROOT=media):
        load_demo()
    sizes = {name: max(20, round(count * scale)) for name, count in SIZES.items()}
    start = time.perf_counter()
    built = {
        "units": _units(sizes["units"]),
        "people": _people(sizes["people"]),
        "points": _points(sizes["points"]),
        "problems": _problems(sizes["problems"]),
    }
    from chuangwen.problems import tally

    tally.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"sizes": sizes, "stored": built, "build_seconds": round(time.perf_counter() - start, 1)}


def _series(count: int) -> str:
    """A FROM item that yields n = 1..count on both databases."""
    if connection.vendor == "postgresql":
        return f"generate_series(1, {int(count)}) AS g(n)"
    return (
        f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {int(count)}) "
        "SELECT n FROM s) AS g"
    )


def _minutes_before(column: str, minutes: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - ({minutes}) * interval '1 minute')"
    return f"datetime({column}, printf('%+d minutes', -({minutes})))"


def _clone(model: type[models.Model], template_id: int, count: int, overrides: dict[str, str]) -> int:
    """Insert `count` copies of one row, with SQL expressions (in n = 1..count and the template
    row t) replacing some columns; in chunks, each its own statement."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    select = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    done = 0
    with connection.cursor() as cursor:
        while done < count:
            size = min(CHUNK, count - done)
            body = select.replace("{n}", f"(g.n + {done})")
            # No parameters: the SQL's own % (modulo) must not be read as a placeholder.
            cursor.execute(
                f'INSERT INTO "{table}" ({names}) SELECT {body} FROM "{table}" t, {_series(size)} '
                f"WHERE t.id = {int(template_id)}"
            )
            done += size
    return done


def _pick(ids: list[int], n: str) -> str:
    """A SQL CASE picking ids[n mod len] (spreads clones over parents without a join)."""
    if len(ids) == 1:
        return str(ids[0])
    whens = " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(ids))
    return f"(CASE (({n}) % {len(ids)}) {whens} END)"


def _units(count: int) -> int:
    from chuangwen.org.models import Unit, UnitKind

    template = Unit.objects.filter(kind=UnitKind.COMMUNITY).order_by("id").first()
    streets = list(Unit.objects.filter(kind=UnitKind.STREET).order_by("id").values_list("id", flat=True))
    _clone(
        Unit,
        template.pk,
        count,
        {
            "code": "'LD-U' || {n}",
            "name": "'负载社区' || {n}",
            "parent_id": _pick(streets, "{n}"),
            "path": "''",
        },
    )
    # The path holds the unit's own id: set once the rows have one.
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "org_unit" SET path = (SELECT p.path FROM "org_unit" p WHERE p.id = "org_unit".parent_id) '
            "|| CAST(id AS VARCHAR(20)) || '/' WHERE code LIKE 'LD-U%%'"
        )
    return Unit.objects.filter(code__startswith="LD-U").count()


def _load_units() -> list[int]:
    from chuangwen.org.models import Unit

    return list(Unit.objects.filter(code__startswith="LD-U").order_by("id").values_list("id", flat=True))


def _people(count: int) -> int:
    from chuangwen.org.models import Person

    template = Person.objects.filter(user__isnull=True).order_by("id").first()
    units = _load_units()[:500]
    overrides = {
        "name": "'负载人员' || {n}",
        "phone": "'139' || CAST(10000000 + {n} AS VARCHAR(20))",
        "unit_id": _pick(units, "{n}"),
    }
    for f in Person._meta.concrete_fields:
        if f.unique and f.column != "id":
            overrides[f.column] = "NULL"
    return _clone(Person, template.pk, count, overrides)


def _points(count: int) -> int:
    from chuangwen.points.models import Point

    template = Point.objects.order_by("id").first()
    if template is None:
        return 0
    units = _load_units()[:500]
    overrides = {"name": "'负载点位' || {n}", "code": "'LD-P' || {n}", "unit_id": _pick(units, "{n}")}
    for f in Point._meta.concrete_fields:
        if f.unique and f.column != "id":
            overrides[f.column] = "'LD-P' || {n}"
    return _clone(Point, template.pk, count, overrides)


def _problems(count: int) -> int:
    """A year of problems: most closed, an eighth open, a few waiting in the office's queue."""
    from chuangwen.problems.models import Problem, Status

    template = Problem.objects.filter(status=Status.CLOSED).order_by("id").first()
    units = _load_units()[:200]
    statuses = [Status.CLOSED] * 80 + [Status.DISPATCHED] * 4 + [Status.RECTIFYING] * 4
    statuses += [Status.SUBMITTED] * 2 + [Status.DUPLICATE] * 2 + [Status.REPORTED]
    status_case = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(statuses))
    minutes = "((CAST({n} AS BIGINT) * 7919) % 525600)"
    overrides = {
        "status": f"(CASE (({{n}}) % {len(statuses)}) {status_case} END)",
        "unit_id": _pick(units, "{n} / 7"),
        "reported_at": _minutes_before("t.reported_at", minutes),
        "dispatched_at": _minutes_before("t.reported_at", minutes),
        "deadline": _minutes_before("t.reported_at", f"{minutes} - 2880"),
        "closed_at": _minutes_before("t.reported_at", f"{minutes} - 1440"),
        "updated_at": _minutes_before("t.reported_at", f"{minutes} - 1440"),
        "description": "'负载问题' || {n}",
        "idempotency_key": "NULL",
        "public_token": "NULL",
        "external_ref": "''",
    }
    return _clone(Problem, template.pk, count, overrides)


# ---------------------------------------------------------------- what the load generator needs


def sessions_for(usernames: list[str], copies: int) -> list[str]:
    """Session cookies of signed-in users (as a sign-in writes them), `copies` per user."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from chuangwen.accounts.middleware import start_session
    from chuangwen.accounts.models import User

    engine = import_module(settings.SESSION_ENGINE)
    cookies = []
    for user in User.objects.filter(username__in=usernames):
        for _ in range(copies):
            store = engine.SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            holder = type("Request", (), {"session": store})()
            start_session(holder)
            store.save()
            cookies.append(store.session_key)
    return cookies


def photo_file(folder: Path, seed: int = 7) -> Path:
    """A 1280×960 JPEG of coloured shapes (what a phone sends after the page shrinks it)."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    image = Image.new("RGB", (1280, 960), tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, r = rnd.randrange(1280), rnd.randrange(960), rnd.randrange(30, 300)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rnd.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    path = folder / "photo.jpg"
    path.write_bytes(out.getvalue())
    return path


def load_config(users_per_role: int) -> dict[str, Any]:
    """Ids and sessions for the load generator, checked: every write it will send works once
    through the product's own code first."""
    from chuangwen.accounts.models import User
    from chuangwen.campaigns.models import Campaign
    from chuangwen.materials.models import MaterialRequirement
    from chuangwen.materials.periods import periods_for
    from chuangwen.org.models import Grid, Unit, UnitKind
    from chuangwen.problems.models import Problem, ProblemCategory, Status
    from chuangwen.problems.views.public import DEVICE_COOKIE

    liaison = User.objects.get(username="liaison")
    today = timezone.localdate()
    requirement, period = None, ""
    for candidate in MaterialRequirement.objects.visible_to(liaison).filter(is_active=True).order_by("id"):
        current = [p for p in periods_for(candidate) if p.start <= today <= p.end]
        if current:
            requirement, period = candidate, current[0].key
            break
    categories = list(
        ProblemCategory.objects.filter(parent__isnull=False).order_by("id").values_list("id", flat=True)
    )
    positions = []
    for grid in Grid.objects.exclude(polygon=None).order_by("id")[:20]:
        ring = grid.polygon["coordinates"][0]
        lngs, lats = [p[0] for p in ring], [p[1] for p in ring]
        positions.append((sum(lats[:-1]) / (len(lats) - 1), sum(lngs[:-1]) / (len(lngs) - 1)))
    street = Unit.objects.get(code="ML-S01")
    campaign = Campaign.objects.order_by("id").first()
    copies = max(1, users_per_role)
    return {
        "sessions": {
            # One street's liaison (the one whose filings are checked): a street of the city.
            "liaison": sessions_for(["liaison"], copies),
            "inspector": sessions_for(["inspector"], copies),
            "dispatcher": sessions_for(["office"], copies),
            "leader": sessions_for(["leader"], copies),
            "office": sessions_for(["office"], 1),
            "ceiling": sessions_for(["liaison"], copies),
        },
        "categories": categories,
        "positions": positions or [(30.0, 120.0)],
        "filing": {
            "requirement_id": requirement.pk if requirement else 0,
            "unit_id": street.pk,
            "period": period,
            "activity_date": today.isoformat(),
        },
        "to_dispatch": list(
            Problem.objects.filter(status=Status.REPORTED).order_by("-id").values_list("id", flat=True)[:5000]
        ),
        "dispatch_units": list(
            Unit.objects.filter(kind=UnitKind.COMMUNITY, code__startswith="ML-").values_list("id", flat=True)
        ),
        "bulletin": {"campaign_id": campaign.pk, "year": today.year, "month": today.month},
        "device_cookie": DEVICE_COOKIE,
        "job_timeout": 120,
    }


# ---------------------------------------------------------------- processes


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {start}")


def database_url() -> str:
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    auth = quote(conf["USER"] or "")
    if conf.get("PASSWORD"):
        auth += ":" + quote(conf["PASSWORD"])
    host = conf["HOST"] or "127.0.0.1"
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{quote(conf['NAME'])}"


@dataclass
class Stack:
    """gunicorn and the job worker (and, when asked, a Redis of its own), all started here."""

    folder: Path
    port: int
    redis_url: str
    workers: int = 5
    threads: int = 4
    worker_threads: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "chuangwen.settings",
                "CHUANGWEN_DATA": str(self.folder / "data"),
                "MEDIA_ROOT": str(self.folder / "media"),
                "DATABASE_URL": database_url(),
                "REDIS_URL": self.redis_url,
                "SECRET_KEY": settings.SECRET_KEY,
                "AUDIT_KEY": ",".join(settings.AUDIT_KEYS),
                "DEBUG": "false",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                # Behind the city's proxy: the visitor's address comes from X-Forwarded-For.
                "PROXY_COUNT": "1",
                "WORKER_THREADS": str(self.worker_threads),
                "LOG_LEVEL": "WARNING",
                "HUEY_IMMEDIATE": "false",
            }
        )
        env.update(self.extra_env)
        return env

    def start_web(self) -> None:
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "chuangwen.cli", "serve", "--port", str(self.port)]
        argv += ["--workers", str(self.workers), "--threads", str(self.threads), "--no-collectstatic"]
        self._spawn("web", argv)
        self._wait_http(self.base + "/healthz", "web")

    def start_worker(self) -> None:
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        self._spawn("worker", [sys.executable, "-m", "chuangwen.cli", "worker"])

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        self.processes[name] = subprocess.Popen(
            argv, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def _wait_http(self, url: str, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited: {self.tail(name)}")
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"{name} did not answer {url}: {self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.folder / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def web_worker_pids(self) -> list[int]:
        """The gunicorn worker processes (children of the master this stack started)."""
        master = self.processes["web"].pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if not children.exists():
            return []
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        for name in ("web", "worker"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM if name == "web" else signal.SIGINT)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextlib.contextmanager
def own_redis(folder: Path, port: int) -> Iterator[str]:
    """A Redis of our own on `port` (no persistence), stopped on exit; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=open(folder / "redis.log", "ab"),  # noqa: SIM115 (the child keeps it)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def drive(config: dict[str, Any], folder: Path, name: str) -> dict[str, Any]:
    """Run the load generator (its own process: Locust patches the standard library)."""
    config_path = folder / f"{name}.json"
    out_path = folder / f"{name}.out.json"
    config_path.write_text(json.dumps(config, ensure_ascii=False))
    result = subprocess.run(
        [sys.executable, "-m", "chuangwen.bench._locust", str(config_path), str(out_path)],
        capture_output=True,
        text=True,
        timeout=float(config["duration"]) + 600,
        check=False,
    )
    if result.returncode or not out_path.exists():
        raise RuntimeError(f"the load generator failed: {result.stderr[-2000:]}")
    return json.loads(out_path.read_text())


def temp_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="cw-load-")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def timezone_now() -> dt.datetime:
    return timezone.now()


# ---------------------------------------------------------------- services the faults bench breaks


class OwnPostgres:
    """A throwaway PostgreSQL cluster in a temp folder on our own port (as .ci/run starts one):
    initdb as the `postgres` user when run as root, trust authentication, fsync on (a restart
    must keep what was committed)."""

    def __init__(self, port: int) -> None:
        # A folder of its own outside the bench's (which only root may enter), owned by postgres.
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="cw-bench-pg-")), port
        self.data = self.folder / "data"
        initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not initdb:
            raise RuntimeError("PostgreSQL's server binaries are not installed (apt-get install postgresql)")
        self.bin = initdb[-1].parent

    def _run(self, *argv: str) -> None:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"{argv[0]} failed: {done.stderr[-1500:]} {self._log_tail()}")

    def _log_tail(self) -> str:
        log = self.folder / "log"
        return log.read_text(errors="replace")[-1500:] if log.exists() else ""

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        if not self.data.exists():
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._pg_ctl("start")

    def _pg_ctl(self, action: str, mode: str = "fast") -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=300"
        argv = ["pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-m", mode]
        if action != "stop":
            argv += ["-o", options]
        self._run(*argv, action)

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._pg_ctl("stop", "fast")
        shutil.rmtree(self.folder, ignore_errors=True)

    def point_django_here(self, name: str = "chuangwen_faults") -> None:
        """Make this process's connection use the cluster (the bench's scratch copy is made there)."""
        connection.close()
        connection.settings_dict.update(
            {"HOST": "127.0.0.1", "PORT": str(self.port), "USER": "postgres", "PASSWORD": "", "NAME": name}
        )


class OwnRedis:
    """A Redis of our own that keeps its queue across a restart (append-only file, fsync every
    write): what a city must run, since a queue that forgets on restart loses jobs."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.folder.mkdir(parents=True, exist_ok=True)
        argv = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        argv += ["--save", "", "--appendonly", "yes", "--appendfsync", "always"]
        self.process = subprocess.Popen(
            argv,
            stdout=open(self.folder / "redis.log", "ab"),  # noqa: SIM115 (the child keeps it)
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("Redis did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis writes its append-only file and exits
            self.process.wait(timeout=30)
        self.process = None

    def restart(self, pause: float = 2.0) -> None:
        self.stop()
        time.sleep(pause)
        self.start()
