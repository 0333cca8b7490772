"""`chuangwen bench volunteers`: volunteers of a city.

Builds 1 city, 10 districts, 100 streets and 1,000 communities, 200,000 volunteers, 100,000
activities and 2,000,000 service records (times --scale) with bulk inserts, then measures:
a unit's volunteer figures (a street and a district, through `figures.unit_figures` and the API
as the office) beside the same aggregates as raw SQL; a volunteer's hours (service and API)
beside raw SQL; and importing 50,000 roster rows from an .xlsx through `volunteers.importing`
(time and Python peak memory) beside reading the file with calamine and inserting the rows with
executemany.
"""

# Fake data from a seeded generator and hand-written SQL are what a benchmark is made of.
# ruff: noqa: S311, S608

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import xlsxwriter
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.bench import measure, sample, scratch_database, verdict
from chuangwen.org.models import Unit, UnitKind
from chuangwen.volunteers import figures
from chuangwen.volunteers.importing import import_roster
from chuangwen.volunteers.models import Volunteer

SIZES = {
    "districts": 10,
    "streets": 100,
    "communities": 1000,
    "volunteers": 200_000,
    "activities": 100_000,
    "records": 2_000_000,
    "import_rows": 50_000,
}
TARGETS = {"figures_p95_ms": 200.0, "hours_p95_ms": 50.0, "import_seconds": 30.0, "import_peak_mb": 300.0}
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰志华建国红梅海燕玉珍文斌宇航晓东春雨立新"


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    repeat = int(options.get("repeat") or 30)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale, repeat)


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _build(sizes: dict[str, int], rng: random.Random) -> dict[str, Any]:
    city = Unit.objects.create(name="云川市", code="B-C", kind=UnitKind.CITY)
    districts = [
        Unit.objects.create(name=f"区{i:02d}", code=f"B-D{i}", kind=UnitKind.DISTRICT, parent=city)
        for i in range(sizes["districts"])
    ]
    streets = [
        Unit.objects.create(
            name=f"街道{i:03d}", code=f"B-S{i}", kind=UnitKind.STREET, parent=districts[i % len(districts)]
        )
        for i in range(sizes["streets"])
    ]
    communities = [
        Unit.objects.create(
            name=f"社区{i:04d}", code=f"B-Q{i}", kind=UnitKind.COMMUNITY, parent=streets[i % len(streets)]
        )
        for i in range(sizes["communities"])
    ]
    today = timezone.localdate()
    with connection.cursor() as cursor:
        rows = []
        for i in range(sizes["volunteers"]):
            unit = communities[i % len(communities)]
            rows.append(
                (
                    unit.pk,
                    _name(rng),
                    "",
                    f"13{i:09d}",
                    f"V{i:07d}",
                    "",
                    "",
                    "0",
                    "0",
                    today.isoformat(),
                    True,
                )
            )
        cursor.executemany(
            "INSERT INTO volunteers_volunteer (unit_id, name, gender, phone, code, id_number_enc, skills,"
            " imported_hours, total_hours, registered_on, is_active) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            rows,
        )
        volunteers = list(Volunteer.objects.order_by("pk").values_list("pk", "unit_id"))
        now = timezone.now()
        rows = []
        for i in range(sizes["activities"]):
            start = now - dt.timedelta(days=rng.randrange(365), hours=rng.randrange(8))
            rows.append(
                (
                    communities[i % len(communities)].pk,
                    f"志愿服务活动{i}",
                    "cleaning",
                    "社区广场",
                    300,
                    start,
                    start + dt.timedelta(hours=2),
                    0,
                    "",
                    "closed",
                    f"tok{i}",
                    now,
                )
            )
        cursor.executemany(
            "INSERT INTO volunteers_activity (unit_id, title, category, address, radius_m, starts_at, ends_at,"
            " capacity, description, status, token, created_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            rows,
        )
        activities = _fetch("SELECT id, unit_id, starts_at FROM volunteers_activity ORDER BY id")
        by_unit: dict[int, list[tuple[int, int]]] = {}
        for pk, unit_id in volunteers:
            by_unit.setdefault(unit_id, []).append((pk, unit_id))
        per_activity = max(1, sizes["records"] // max(1, len(activities)))
        batch: list[tuple[Any, ...]] = []
        for activity_id, unit_id, starts_at in activities:
            start = (
                starts_at if isinstance(starts_at, dt.datetime) else dt.datetime.fromisoformat(str(starts_at))
            )
            day = start.date()
            pool = by_unit.get(unit_id) or volunteers
            for volunteer_id, v_unit in rng.sample(pool, min(per_activity, len(pool))):
                batch.append(
                    (
                        activity_id,
                        volunteer_id,
                        v_unit,
                        "confirmed",
                        start,
                        start,
                        start + dt.timedelta(hours=2),
                        day,
                        "2.0",
                        "2.0",
                        "",
                        False,
                        False,
                    )
                )
            if len(batch) >= 20_000:
                _insert_records(cursor, batch)
                batch = []
        if batch:
            _insert_records(cursor, batch)
        cursor.execute(
            "UPDATE volunteers_volunteer SET total_hours = COALESCE((SELECT SUM(hours) FROM volunteers_servicerecord r"
            " WHERE r.volunteer_id = volunteers_volunteer.id AND r.status = 'confirmed'), 0)"
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "city": city,
        "districts": districts,
        "streets": streets,
        "communities": communities,
        "volunteers": volunteers,
    }


def _fetch(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def _insert_records(cursor: Any, batch: list[tuple[Any, ...]]) -> None:
    cursor.executemany(
        "INSERT INTO volunteers_servicerecord (activity_id, volunteer_id, volunteer_unit_id, status, signed_up_at,"
        " signed_in_at, signed_out_at, day, computed_hours, hours, note, in_outside, out_outside)"
        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
        batch,
    )


def _raw_figures(unit: Unit, today: dt.date) -> tuple[Any, ...]:
    """The unit figures' queries as hand-written SQL (same indexes, same answers)."""
    units = "SELECT id FROM org_unit WHERE path LIKE %s"
    like = unit.path + "%"
    with connection.cursor() as c:
        c.execute(
            f"SELECT COUNT(*) FROM volunteers_volunteer WHERE is_active AND unit_id IN ({units})", [like]
        )
        registered = c.fetchone()[0]
        c.execute(
            "SELECT COUNT(DISTINCT volunteer_id) FROM volunteers_servicerecord WHERE status = 'confirmed'"
            f" AND day >= %s AND volunteer_unit_id IN ({units})",
            [today - dt.timedelta(days=90), like],
        )
        active = c.fetchone()[0]
        c.execute(
            "SELECT SUM(hours) FROM volunteers_servicerecord WHERE status = 'confirmed'"
            f" AND volunteer_unit_id IN ({units})",
            [like],
        )
        total = c.fetchone()[0]
        month = "strftime('%%Y-%%m', day)" if connection.vendor == "sqlite" else "date_trunc('month', day)"
        c.execute(
            f"SELECT {month}, SUM(hours), COUNT(DISTINCT volunteer_id) FROM volunteers_servicerecord"
            f" WHERE status = 'confirmed' AND day >= %s AND volunteer_unit_id IN ({units}) GROUP BY 1",
            [today - dt.timedelta(days=365), like],
        )
        months = c.fetchall()
        c.execute(
            f"SELECT starts_at FROM volunteers_activity WHERE status != 'cancelled' AND unit_id IN ({units})"
            " AND starts_at >= %s",
            [like, timezone.now() - dt.timedelta(days=365)],
        )
        starts = c.fetchall()
    return registered, active, total, months, len(starts)


def _raw_hours(volunteer_id: int) -> tuple[Any, ...]:
    with connection.cursor() as c:
        c.execute("SELECT total_hours FROM volunteers_volunteer WHERE id = %s", [volunteer_id])
        total = c.fetchone()[0]
        c.execute(
            "SELECT SUM(hours), COUNT(*) FROM volunteers_servicerecord WHERE volunteer_id = %s AND status = 'confirmed'",
            [volunteer_id],
        )
        agg = c.fetchone()
        c.execute(
            "SELECT day, hours FROM volunteers_servicerecord WHERE volunteer_id = %s AND status = 'confirmed'",
            [volunteer_id],
        )
        c.fetchall()
        c.execute(
            "SELECT COUNT(*) FROM volunteers_servicerecord WHERE volunteer_id = %s AND status = 'signed_out'",
            [volunteer_id],
        )
    return total, agg


def _write_roster(path: Path, communities: list[Unit], count: int, rng: random.Random) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("志愿者")
    sheet.write_row(0, 0, ["姓名", "性别", "手机号", "志愿者编号", "所属组织", "服务时长"])
    for i in range(count):
        sheet.write_row(
            i + 1,
            0,
            [
                _name(rng),
                rng.choice("男女"),
                f"15{i:09d}",
                f"N{i:07d}",
                communities[i % len(communities)].name,
                rng.randrange(0, 300),
            ],
        )
    book.close()


def _raw_import(path: Path, names: dict[str, int]) -> int:
    """The raw-library equivalent: calamine reads the rows, executemany inserts them."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    today = timezone.localdate().isoformat()
    data = [
        (
            names[r[4]],
            r[0],
            "m" if r[1] == "男" else "f",
            str(r[2]),
            str(r[3]),
            "",
            "",
            str(r[5]),
            str(r[5]),
            today,
            True,
        )
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO volunteers_volunteer (unit_id, name, gender, phone, code, id_number_enc, skills,"
            " imported_hours, total_hours, registered_on, is_active) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            data,
        )
    return len(data)


def _run(scale: float, repeat: int) -> dict[str, Any]:
    sizes = {key: max(1, round(value * scale)) for key, value in SIZES.items()}
    sizes["communities"] = max(sizes["communities"], sizes["streets"])
    rng = random.Random(2026)
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    start = time.perf_counter()
    tree = _build(sizes, rng)
    build_seconds = round(time.perf_counter() - start, 1)
    office_unit = Unit.objects.create(
        name="创建办", code="B-OFF", kind=UnitKind.DEPARTMENT, parent=tree["city"]
    )
    office = User.objects.create_user("bench-office", password="x")
    Membership.objects.create(user=office, unit=office_unit, role=Role.OFFICE_ADMIN)
    client = Client()
    client.force_login(office)
    today = timezone.localdate()

    result_figures: dict[str, Any] = {}
    for label, unit in (("street", tree["streets"][0]), ("district", tree["districts"][0])):
        service = sample(lambda unit=unit: figures.unit_figures(unit), repeat)
        api = sample(lambda unit=unit: client.get(f"/api/volunteers/units/{unit.pk}/figures"), repeat)
        raw = sample(lambda unit=unit: _raw_figures(unit, today), repeat)
        result_figures[label] = {
            "volunteers": Volunteer.objects.filter(unit__path__startswith=unit.path).count(),
            "service": service,
            "api": api,
            "raw_sql": raw,
            "p95": verdict(api["p95_ms"], TARGETS["figures_p95_ms"]),
        }
    volunteer = Volunteer.objects.get(pk=tree["volunteers"][len(tree["volunteers"]) // 2][0])
    hours_service = sample(lambda: figures.volunteer_hours(volunteer), repeat)
    hours_api = sample(lambda: client.get(f"/api/volunteers/volunteers/{volunteer.pk}/hours"), repeat)
    hours_raw = sample(lambda: _raw_hours(volunteer.pk), repeat)

    names = {u.name: u.pk for u in tree["communities"]}
    with tempfile.TemporaryDirectory(prefix="cw-bench-roster-") as folder:
        path = Path(folder) / "roster.xlsx"
        _write_roster(path, tree["communities"], sizes["import_rows"], rng)
        data = path.read_bytes()
        with transaction.atomic():
            t0 = time.perf_counter()
            report = import_roster(data, office, commit=True)
            seconds = round(time.perf_counter() - t0, 2)
            transaction.set_rollback(True)
        with transaction.atomic(), measure() as traced:
            import_roster(data, office, commit=True)
            transaction.set_rollback(True)
        with transaction.atomic():
            t0 = time.perf_counter()
            raw_rows = _raw_import(path, names)
            raw_seconds = round(time.perf_counter() - t0, 2)
            transaction.set_rollback(True)
    if not report.committed:
        raise RuntimeError(f"the bench roster did not import: {[str(e) for e in report.errors[:5]]}")
    checks = [r["p95"]["ok"] for r in result_figures.values()]
    hours_verdict = verdict(hours_api["p95_ms"], TARGETS["hours_p95_ms"])
    import_seconds = verdict(seconds, TARGETS["import_seconds"])
    import_peak = verdict(traced["peak_mb"], TARGETS["import_peak_mb"])
    checks += [hours_verdict["ok"], import_seconds["ok"], import_peak["ok"]]
    return {
        "area": "volunteers",
        "database": connection.vendor,
        "scale": scale,
        "sizes": sizes,
        "build_seconds": build_seconds,
        "unit_figures": result_figures,
        "volunteer_hours": {
            "records": volunteer.records.count(),
            "service": hours_service,
            "api": hours_api,
            "raw_sql": hours_raw,
            "p95": hours_verdict,
        },
        "import": {
            "rows": sizes["import_rows"],
            "created": report.created,
            "seconds": import_seconds,
            "peak_mb": import_peak,
            "seconds_under_tracemalloc": traced["seconds"],
            "raw_library_seconds": raw_seconds,
            "raw_library_rows": raw_rows,
        },
        "targets": TARGETS,
        "ok": all(checks),
        "machine": {"cpus": os.cpu_count(), "load_average_before": load_before},
    }
