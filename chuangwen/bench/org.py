"""`chuangwen bench org`: the organisation at city scale.

Builds 1 city, 15 districts, 200 streets and townships, 3,000 communities and villages,
800 departments and 50,000 people (times --scale) with bulk inserts, then measures, through
Django's test client, the unit-scoped list pages and API routes as a street liaison and as the
office, beside the same scoped query issued as raw SQL in the same run; and the time and memory
of importing 50,000 people from an Excel file through `org.importing`.
"""

# Fake data from a seeded generator and hand-written SQL (table names interpolated, values as
# parameters) are what a benchmark is made of.
# ruff: noqa: S311, S608, SIM905

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
import types
from contextlib import nullcontext
from importlib import import_module
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.management.color import no_style
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import path, reverse

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.accounts.scope import scope_for
from chuangwen.bench import measure, sample, scratch_database, verdict
from chuangwen.core.text import normalize_name
from chuangwen.org.importing import import_units, refresh_statistics
from chuangwen.org.models import Person, Unit, UnitKind
from chuangwen.org.views import PAGE_SIZE, TREE_PAGE_SIZE

SIZES = {"districts": 15, "streets": 200, "communities": 3000, "departments": 800, "people": 50_000}
TARGETS = {"p95_ms": 100.0, "page_to_raw": 3.0, "import_seconds": 30.0, "import_peak_mb": 300.0}
API_LIMIT = 100  # django-ninja's default page size

_PLACES = (  # two-character place-name stems, all invented
    "松林柳岸青石云西桃源梅园竹溪兰亭枫桥杏坛荷塘桂苑银杏白鹭金沙玉泉翠湖紫荆锦江明月清河长宁安平永和新华"
    "光明和平东风南湖北岭西山东岸丰乐太平福寿康宁瑞祥嘉禾盛世华庭春晖秋实夏荷冬青星河朝阳晨曦彩虹石桥泉水"
    "湖滨江畔河西山前岭南塘口坝上湾里渡口港湾"
)
_STEMS = [_PLACES[i : i + 2] for i in range(0, len(_PLACES), 2)]
_NUMBERS = "一二三四五六七八九十"
_BUREAUS = (
    "商务局、教育局、卫健局、民政局、公安分局、城管局、住建局、交通局、文旅局、市场监管局、生态环境局、财政局、"
    "人社局、农业农村局、水务局、应急管理局、司法局、统计局、审计局、科技局、工信局、自然资源局、退役军人局、"
    "医保局、体育局、林业局、信访局、档案局、机关事务局、行政审批局、发改委、宣传部、组织部、统战部、政法委、"
    "团委、妇联、总工会、科协、残联、红十字会、文明办、融媒体中心、档案馆、图书馆、文化馆、供销社、税务局、气象局"
).split("、")
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰志华建国红梅海燕玉珍文斌宇航晓东春雨立新"
_POSITIONS = ("书记", "主任", "副主任", "网格员", "联络员", "信息员", "志愿者", "楼栋长", "科长", "干事")


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    repeat = int(options.get("repeat") or 30)
    # The smoke test runs inside the test database it already has (scratch=False).
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale, repeat)


def _run(scale: float, repeat: int) -> dict[str, Any]:
    sizes = {key: max(1, round(value * scale)) for key, value in SIZES.items()}
    load_before = _load_average()
    rng = random.Random(2026)
    start = time.perf_counter()
    tree = _build_tree(sizes)
    _build_people(tree, sizes["people"], rng, phone_prefix="13")
    street = tree["streets"][0]
    users = _build_users(tree["city"], street)
    # The bulk load stands in for importing the city's roster, which ends the same way.
    refresh_statistics()
    build_seconds = round(time.perf_counter() - start, 2)

    routes, floors = _measure_routes(users, street, repeat)
    import_result = _measure_import(tree, sizes["people"], rng)
    checks = [r["p95"]["ok"] for role in routes.values() for r in role.values()]
    checks += [r["page_to_raw"]["ok"] for role in routes.values() for r in role.values()]
    checks += [import_result["seconds"]["ok"], import_result["peak_mb"]["ok"]]
    return {
        "area": "org",
        "database": connection.vendor,
        "scale": scale,
        "sizes": {
            "units": len(tree["all"]),
            "districts": sizes["districts"],
            "streets_and_townships": sizes["streets"],
            "communities_and_villages": sizes["communities"],
            "departments": sizes["departments"],
            "people": sizes["people"],
            "liaison_street_units": sum(1 for u in tree["all"] if u[3].startswith(street[3])),
        },
        "build_seconds": build_seconds,
        "routes": routes,
        # An empty signed-in request (middleware, session, user, scope): the part of every
        # route's time that no query or template can remove.
        "framework_floor": floors,
        "import": import_result,
        "targets": TARGETS,
        "ok": all(checks),
        # Timings on a busy machine are slower: the load says how busy it was.
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": _load_average(),
        },
    }


# -- building ----------------------------------------------------------------------------------


def _build_tree(sizes: dict[str, int]) -> dict[str, Any]:
    """Units as tuples (pk, code, name, path) inserted with explicit ids so that each path is
    known before the insert: one bulk statement per batch, no second pass."""
    next_id = (Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows: list[Unit] = []
    out: dict[str, Any] = {"all": []}

    def add(code: str, name: str, kind: str, parent: tuple | None, short: str = "") -> tuple:
        nonlocal next_id
        pk, next_id = next_id, next_id + 1
        path = f"{parent[3] if parent else '/'}{pk}/"
        rows.append(
            Unit(
                pk=pk,
                code=code,
                name=name,
                short_name=short,
                kind=kind,
                parent_id=parent[0] if parent else None,
                path=path,
                depth=path.count("/") - 2,
                name_key=normalize_name(name),
                short_name_key=normalize_name(short),
                sort_order=pk,
            )
        )
        unit = (pk, code, name, path)
        out["all"].append(unit)
        return unit

    city = out["city"] = add("BC", "云川市", UnitKind.CITY, None)
    districts = out["districts"] = [
        add(f"BD{d:02}", f"{_stem(d)}区", UnitKind.DISTRICT, city) for d in range(sizes["districts"])
    ]
    out["streets"] = []
    for s in range(sizes["streets"]):
        district = districts[s % len(districts)]
        kind, suffix = (UnitKind.STREET, "街道") if s % 3 else (UnitKind.TOWNSHIP, "镇")
        stem = _stem(s + 7)
        out["streets"].append(add(f"{district[1]}S{s:03}", f"{stem}{suffix}", kind, district, short=stem))
    out["communities"] = []
    for c in range(sizes["communities"]):
        street = out["streets"][c % len(out["streets"])]
        n = c // len(out["streets"]) + 1
        stem = street[2][:-2] if street[2].endswith("街道") else street[2][:-1]
        village = street[2].endswith("镇") and n % 2 == 0
        name = f"{stem}{_number(n)}{'村' if village else '社区'}"
        kind = UnitKind.VILLAGE if village else UnitKind.COMMUNITY
        out["communities"].append(add(f"{street[1]}C{c:04}", name, kind, street))
    out["departments"] = []
    owners = [city, *districts]
    for b in range(sizes["departments"]):
        owner = owners[b % len(owners)]
        nth = b // len(owners)
        bureau = _BUREAUS[nth % len(_BUREAUS)] + (
            str(nth // len(_BUREAUS) + 1) if nth >= len(_BUREAUS) else ""
        )
        out["departments"].append(
            add(f"{owner[1]}B{b:03}", f"{owner[2]}{bureau}", UnitKind.DEPARTMENT, owner)
        )
    Unit.objects.bulk_create(rows, batch_size=2000)
    _reset_sequences(Unit)
    return out


def _build_people(tree: dict[str, Any], count: int, rng: random.Random, phone_prefix: str) -> None:
    batch: list[Person] = []
    for i, (unit, name, phone, position) in enumerate(_people(tree, count, rng, phone_prefix)):
        batch.append(Person(name=name, phone=phone, position=position, unit_id=unit[0]))
        if len(batch) == 5000 or i == count - 1:
            Person.objects.bulk_create(batch, batch_size=5000)
            batch = []


def _people(tree: dict[str, Any], count: int, rng: random.Random, phone_prefix: str):
    """People spread as in a real city: most in communities, the rest in streets and bureaus."""
    pools = [(tree["communities"], 0.7), (tree["streets"], 0.15), (tree["departments"], 0.15)]
    for i in range(count):
        roll = rng.random()
        pool = pools[0][0] if roll < 0.7 else pools[1][0] if roll < 0.85 else pools[2][0]
        unit = pool[rng.randrange(len(pool))]
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.6 else "")
        yield unit, name, f"{phone_prefix}{i:09d}", rng.choice(_POSITIONS)


def _build_users(city: tuple, street: tuple) -> dict[str, Any]:
    users = {}
    for role, unit, name in (
        (Role.LIAISON, street, "bench_liaison"),
        (Role.OFFICE_ADMIN, city, "bench_office"),
    ):
        user = User.objects.create_user(username=name, password=None)
        Membership.objects.create(user=user, unit_id=unit[0], role=role)
        users["liaison" if role == Role.LIAISON else "office"] = user
    return users


def _reset_sequences(model: type) -> None:
    """Explicit ids leave PostgreSQL's sequence behind; move it past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _stem(i: int) -> str:
    return _STEMS[i % len(_STEMS)] + (str(i // len(_STEMS) + 1) if i >= len(_STEMS) else "")


def _number(n: int) -> str:
    return _NUMBERS[n - 1] if n <= len(_NUMBERS) else str(n)


# -- measuring pages ---------------------------------------------------------------------------


def _raw_queries(path_prefix: str | None) -> dict[str, list[tuple[str, list[Any]]]]:
    """Each route's scoped queries written by hand, fetching what the route fetches."""
    # Only table names and fixed clauses are interpolated; values go in as parameters.
    unit, person = Unit._meta.db_table, Person._meta.db_table
    in_scope, scope_params = ("AND u.path LIKE %s", [f"{path_prefix}%"]) if path_prefix else ("", [])
    units_where = f"WHERE 1 = 1 {in_scope}"
    # People are scoped by their unit's id being in the subtree, the form the planner serves
    # from indexes; counting them needs no join.
    people_scope = f"p.is_active = %s AND p.unit_id IN (SELECT s.id FROM {unit} s WHERE s.path LIKE %s)"
    if not path_prefix:
        people_scope = "p.is_active = %s"
    people_params = [True, *scope_params]
    people_from = f"FROM {person} p JOIN {unit} u ON u.id = p.unit_id WHERE {people_scope}"
    people_order = "ORDER BY u.path, p.unit_id, p.name, p.id"
    people_count = (f"SELECT COUNT(*) FROM {person} p WHERE {people_scope}", people_params)
    units_count = (f"SELECT COUNT(*) FROM {unit} u {units_where}", scope_params)
    unit_columns = "u.id, u.name, u.short_name, u.code, u.kind, u.parent_id, u.depth, u.is_active"
    tree_page = f"SELECT u.id FROM {unit} u {units_where} ORDER BY u.path LIMIT {TREE_PAGE_SIZE}"
    return {
        "page org:people": [
            people_count,
            (
                f"SELECT p.id, p.name, p.phone, p.position, p.unit_id, u.name, u.short_name {people_from} "
                f"{people_order} LIMIT {PAGE_SIZE}",
                people_params,
            ),
        ],
        "page org:units": [
            units_count,
            (
                f"SELECT {unit_columns} FROM {unit} u {units_where} ORDER BY u.path LIMIT {TREE_PAGE_SIZE}",
                scope_params,
            ),
            (
                f"SELECT p.unit_id, COUNT(*) FROM {person} p WHERE p.is_active = %s "
                f"AND p.unit_id IN ({tree_page}) GROUP BY p.unit_id",
                people_params,
            ),
        ],
        "api /api/org/people": [
            people_count,
            (
                f"SELECT p.id, p.name, p.phone, p.position, p.unit_id, u.name {people_from} "
                f"{people_order} LIMIT {API_LIMIT}",
                people_params,
            ),
        ],
        "api /api/org/units": [
            units_count,
            (
                f"SELECT {unit_columns} FROM {unit} u {units_where} ORDER BY u.path LIMIT {API_LIMIT}",
                scope_params,
            ),
        ],
    }


@login_required
def _floor_view(request: HttpRequest) -> HttpResponse:
    """The least a signed-in, scoped request costs in this stack: the middleware, the session,
    the user and their scope (memberships), and a constant body; no query of its own."""
    return HttpResponse(str(len(scope_for(request.user).paths)))


def _floor(client: Client, repeat: int) -> dict[str, float]:
    """The floor request through the same client, on a URLconf that adds it to the project's."""
    urlconf = types.ModuleType("chuangwen_bench_floor_urls")
    urlconf.urlpatterns = [
        path("bench-floor/", _floor_view),
        *import_module(settings.ROOT_URLCONF).urlpatterns,
    ]
    sys.modules[urlconf.__name__] = urlconf
    try:
        with override_settings(ROOT_URLCONF=urlconf.__name__):
            if client.get("/bench-floor/").status_code != 200:
                raise RuntimeError("the floor request did not answer 200")
            return sample(lambda: client.get("/bench-floor/"), repeat=repeat)
    finally:
        sys.modules.pop(urlconf.__name__, None)


def _measure_routes(
    users: dict[str, Any], street: tuple, repeat: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each route's page and raw-SQL timings per role, and each role's framework floor."""
    urls = {
        "page org:people": reverse("org:people"),
        "page org:units": reverse("org:units"),
        "api /api/org/people": "/api/org/people",
        "api /api/org/units": "/api/org/units",
    }
    results: dict[str, Any] = {}
    floors: dict[str, Any] = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        raw = _raw_queries(street[3] if role == "liaison" else None)
        floor = floors[role] = _floor(client, repeat)
        results[role] = {}
        for name, url in urls.items():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{name} as {role} answered {response.status_code}, not 200")
            page = sample(lambda client=client, url=url: client.get(url), repeat=repeat)
            rows = _fetch(raw[name])
            sql = sample(lambda queries=raw[name]: _fetch(queries), repeat=repeat)
            ratio = round(page["p50_ms"] / sql["p50_ms"], 1) if sql["p50_ms"] else 0.0
            results[role][name] = {
                "page": page,
                "raw_sql": sql,
                "raw_rows": rows,
                # What the route adds above an empty signed-in request, against the same raw SQL:
                # when the floor alone exceeds 3x raw, the page-to-raw target cannot be met.
                "floor_to_raw": round(floor["p50_ms"] / sql["p50_ms"], 1) if sql["p50_ms"] else 0.0,
                "page_above_floor_ms": round(page["p50_ms"] - floor["p50_ms"], 2),
                "p95": verdict(page["p95_ms"], TARGETS["p95_ms"]),
                "page_to_raw": verdict(ratio, TARGETS["page_to_raw"]),
            }
    return results, floors


def _fetch(queries: list[tuple[str, list[Any]]]) -> int:
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return rows


# -- measuring the import ----------------------------------------------------------------------


def _measure_import(tree: dict[str, Any], count: int, rng: random.Random) -> dict[str, Any]:
    """Import a roster of `count` new people (and every unit, unchanged) from an .xlsx file.

    Run twice on the same file inside a transaction that is rolled back: once timed, once under
    tracemalloc (which slows Python down several times), then for real to time a re-import.
    """
    with tempfile.TemporaryDirectory(prefix="cw-bench-import-") as folder:
        path = Path(folder) / "roster.xlsx"
        _write_roster(path, tree, count, rng)
        size_mb = round(path.stat().st_size / 1024 / 1024, 2)
        rss_before = _rss_mb()
        with transaction.atomic():
            start = time.perf_counter()
            timed = import_units(path, commit=True, actor="bench")
            seconds = round(time.perf_counter() - start, 2)
            transaction.set_rollback(True)
        rss_peak = _max_rss_mb()
        with transaction.atomic(), measure() as traced:
            import_units(path, commit=True, actor="bench")
            transaction.set_rollback(True)
        import_units(path, commit=True, actor="bench")
        start = time.perf_counter()
        again = import_units(path, commit=True, actor="bench")
        reimport_seconds = round(time.perf_counter() - start, 2)
    if not timed.committed or not again.committed:
        raise RuntimeError(f"the bench roster did not import: {[str(p) for p in timed.errors[:5]]}")
    return {
        "file_mb": size_mb,
        "people": timed.people.as_dict(),
        "units": timed.units.as_dict(),
        "seconds": verdict(seconds, TARGETS["import_seconds"]),
        # Python heap at its highest during the import (tracemalloc; calamine's Rust buffers
        # are not traced), the number the target is checked against.
        "peak_mb": verdict(traced["peak_mb"], TARGETS["import_peak_mb"]),
        "seconds_under_tracemalloc": traced["seconds"],
        # The whole process's resident set: before the import, and its high-water mark after
        # it (ru_maxrss covers the process's lifetime, so it includes building the data).
        "rss_before_mb": rss_before,
        "rss_high_water_mb": rss_peak,
        "reimport_seconds": reimport_seconds,
        "reimport_people": again.people.as_dict(),
    }


def _write_roster(path: Path, tree: dict[str, Any], count: int, rng: random.Random) -> None:
    """The city's roster as an office would send it: units (parents by code), then people by
    unit name or code, with a title row above each header."""
    by_pk = {u[0]: u for u in tree["all"]}
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    units = workbook.add_worksheet("单位")
    units.write_row(0, 0, ["云川市创建文明城市工作单位名册"])
    units.write_row(1, 0, ["单位编码", "单位名称", "上级编码"])
    for r, (_pk, code, name, unit_path) in enumerate(tree["all"], start=2):
        parts = unit_path.strip("/").split("/")
        parent = by_pk[int(parts[-2])][1] if len(parts) > 1 else ""
        units.write_row(r, 0, [code, name, parent])
    people = workbook.add_worksheet("人员")
    people.write_row(0, 0, ["云川市志愿者名册"])
    people.write_row(1, 0, ["序号", "姓名", "手机", "职务", "所属单位"])
    for r, (unit, name, phone, position) in enumerate(_people(tree, count, rng, phone_prefix="15"), start=2):
        people.write_row(r, 0, [r - 1, name, phone, position, unit[2] if r % 2 else unit[1]])
    workbook.close()


def _rss_mb() -> float:
    try:
        with open(f"/proc/{os.getpid()}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def _max_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []
