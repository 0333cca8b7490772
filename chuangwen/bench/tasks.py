"""`chuangwen bench tasks`: import of a 3,000-row task table, a unit's task board with 20,000
tasks city-wide, and the export of 20,000 tasks, each beside its raw equivalent.

Targets (issue #3): import < 10 s; board p95 < 150 ms; export < 5 s and < 200 MB.
`--scale 0.01` runs the same code on tiny data (the test suite's smoke test does).
"""

from __future__ import annotations

import io
import random
import time
from typing import Any

IMPORT_ROWS = 3000
CITY_TASKS = 20000
STREETS = 20
COMMUNITIES = 10  # per street
DEPARTMENTS = 40


def _world() -> dict[str, Any]:
    from chuangwen.accounts.models import Membership, Role, User
    from chuangwen.campaigns.models import Campaign
    from chuangwen.org.models import Unit, UnitKind

    city = Unit.objects.create(name="基准市", code="B", kind=UnitKind.CITY)
    streets, communities, departments = [], [], []
    for s in range(STREETS):
        street = Unit.objects.create(name=f"第{s + 1}街道", code=f"B-S{s}", kind=UnitKind.STREET, parent=city)
        streets.append(street)
        for c in range(COMMUNITIES):
            communities.append(
                Unit.objects.create(
                    name=f"第{s + 1}街道{c + 1}社区",
                    code=f"B-S{s}-{c}",
                    kind=UnitKind.COMMUNITY,
                    parent=street,
                )
            )
    for d in range(DEPARTMENTS):
        departments.append(
            Unit.objects.create(
                name=f"基准市第{d + 1}局",
                short_name=f"第{d + 1}局",
                code=f"B-D{d}",
                kind=UnitKind.DEPARTMENT,
                parent=city,
            )
        )
    campaign = Campaign.objects.create(name="基准年度", year=2026, root_unit=city, is_current=True)
    liaison = User.objects.create_user("bench_liaison", password="x")  # noqa: S106 - a throw-away database
    Membership.objects.create(user=liaison, unit=streets[0], role=Role.LIAISON)
    return {
        "city": city,
        "streets": streets,
        "communities": communities,
        "departments": departments,
        "campaign": campaign,
        "liaison": liaison,
    }


def _table(rows: int, world: dict[str, Any]) -> bytes:
    """A task table like an office's: title row, header, several units and dates per row."""
    import xlsxwriter

    rng = random.Random(3)  # noqa: S311 - reproducible test data, not secrets
    methods = ["材料审核", "实地考察", "问卷调查", "部门评价", "实景图片"]
    deadlines = ["每月", "每季度", "6月底", "2026年9月30日", "长期坚持", "3·15、质量月"]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["基准市任务分解表"])
    header = [
        "序号",
        "测评项目",
        "测评内容",
        "测评标准",
        "测评方式",
        "牵头单位",
        "责任单位",
        "配合单位",
        "责任人",
        "完成时限",
        "具体安排",
        "材料审核具体要求",
    ]
    sheet.write_row(1, 0, header)
    for i in range(rows):
        l1, l2, l3 = i % 11, i % 37, i % 90
        lead = rng.choice(world["departments"]).short_name
        responsible = "、".join(u.name for u in rng.sample(world["streets"], 3))
        sheet.write_row(
            i + 2,
            0,
            [
                i + 1,
                f"Ⅰ-{l1 + 1} 测评项目{l1 + 1}",
                f"Ⅱ-{l2 + 1} 测评内容{l2 + 1}",
                f"Ⅲ-{l3 + 1} 测评标准{l3 + 1}：按要求开展工作",
                methods[i % len(methods)],
                f"{lead}（牵头）",
                responsible,
                rng.choice(world["departments"]).name,
                "张三、李四",
                deadlines[i % len(deadlines)],
                "4月：制定方案；5月：开展活动；6月：总结",
                f"第{i + 1}项任务：每季度一场活动，提供2张图片",
            ],
        )
    book.close()
    return out.getvalue()


def _bench_import(world: dict[str, Any], rows: int) -> dict[str, Any]:
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from chuangwen.bench import measure, verdict
    from chuangwen.tasks import services
    from chuangwen.tasks.importing import read_task_table

    data = _table(rows, world)
    start, cpu = time.perf_counter(), time.process_time()
    table = read_task_table(data, world["campaign"])
    result = services.import_tasks(table, "bench")
    seconds = round(time.perf_counter() - start, 3)
    cpu_seconds = round(time.process_time() - cpu, 3)
    # Raw equivalent: read the cells with calamine and INSERT them with executemany.
    with measure() as raw:
        cells = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_raw_tasks (title VARCHAR(300), units VARCHAR(300), due VARCHAR(60))"
            )
            cursor.executemany(
                "INSERT INTO bench_raw_tasks (title, units, due) VALUES (%s, %s, %s)",
                [(str(r[3]), str(r[6]), str(r[9])) for r in cells[2:]],
            )
    again_start = time.perf_counter()
    again = services.import_tasks(read_task_table(data, world["campaign"]), "bench")
    return {
        "rows": rows,
        "tasks": result.created,
        "errors": len(table.errors),
        "seconds": verdict(seconds, 10.0),
        # CPU time of this process (SQLite runs inside it): less disturbed by a busy machine.
        "cpu_seconds": cpu_seconds,
        "reimport_seconds": round(time.perf_counter() - again_start, 3),
        "reimport_created": again.created,
        "raw_calamine_plus_executemany_seconds": raw["seconds"],
    }


def _fill_city(world: dict[str, Any], count: int) -> None:
    """Bulk-create `count` tasks across the city, each with a lead and two responsible units."""
    from chuangwen.indicators.models import Indicator
    from chuangwen.tasks.models import AssignmentRole, Cadence, Task, TaskAssignment

    rng = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    indicators = list(Indicator.objects.filter(level=3))
    units = world["streets"] + world["communities"]
    cadences = [Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.ONCE, Cadence.ONGOING]
    import datetime as dt

    batch = []
    for i in range(count):
        batch.append(
            Task(
                campaign=world["campaign"],
                indicator=rng.choice(indicators),
                title=f"全市任务{i}",
                method=rng.choice(["materials", "field", "survey"]),
                cadence=cadences[i % 4],
                deadline=dt.date(2026, 1 + i % 12, 28) if cadences[i % 4] == Cadence.ONCE else None,
                source_key=f"city-{i}",
                source_row=100000 + i,
            )
        )
    Task.objects.bulk_create(batch, batch_size=2000)
    tasks = list(Task.objects.filter(source_key__startswith="city-").values_list("pk", flat=True))
    assignments = []
    for pk in tasks:
        assignments.append(
            TaskAssignment(task_id=pk, unit=rng.choice(world["departments"]), role=AssignmentRole.LEAD)
        )
        for unit in rng.sample(units, 2):
            assignments.append(TaskAssignment(task_id=pk, unit=unit, role=AssignmentRole.RESPONSIBLE))
    TaskAssignment.objects.bulk_create(assignments, batch_size=5000)


def _analyze() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum would on a live
    database (a freshly filled table without them gets nested-loop plans that no production
    database would use)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _sample_cpu(fn: Any, repeat: int) -> dict[str, float]:
    """Like bench.sample, in CPU milliseconds of this process rather than wall time."""
    from chuangwen.bench import percentiles

    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return percentiles(times)


def _bench_board(world: dict[str, Any], repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from chuangwen.bench import sample, verdict
    from chuangwen.tasks.models import Task

    client = Client()
    client.force_login(world["liaison"])
    street = world["streets"][0]
    url = f"/tasks/?unit={street.pk}"
    assert client.get(url).status_code == 200
    page = sample(lambda: client.get(url), repeat=repeat)
    page_cpu = _sample_cpu(lambda: client.get(url), repeat=repeat)
    filtered = sample(lambda: client.get(url + "&method=field&state=overdue"), repeat=repeat)
    sql = (
        "SELECT t.id, t.title, t.deadline FROM tasks_task t WHERE t.id IN ("
        " SELECT a.task_id FROM tasks_taskassignment a JOIN org_unit u ON u.id = a.unit_id"
        " WHERE u.path LIKE %s) ORDER BY t.deadline, t.id LIMIT 50"
    )
    count_sql = (
        "SELECT COUNT(*) FROM tasks_task t WHERE t.id IN (SELECT a.task_id FROM tasks_taskassignment a"
        " JOIN org_unit u ON u.id = a.unit_id WHERE u.path LIKE %s)"
    )

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [street.path + "%"])
            cursor.fetchall()
            cursor.execute(count_sql, [street.path + "%"])
            cursor.fetchone()

    return {
        "tasks_city_wide": Task.objects.count(),
        "page_p95_ms": verdict(page["p95_ms"], 150.0),
        "page": page,
        "page_cpu": page_cpu,
        "filtered_page": filtered,
        "raw_sql_page_and_count": sample(raw, repeat=repeat),
    }


def _bench_export(world: dict[str, Any]) -> dict[str, Any]:
    import xlsxwriter
    from django.db import connection

    from chuangwen.bench import measure, verdict
    from chuangwen.tasks.export import write_task_table
    from chuangwen.tasks.models import Task

    tasks = Task.objects.filter(campaign=world["campaign"])
    start, cpu = time.perf_counter(), time.process_time()
    data = write_task_table(tasks, "基准市任务分解表")
    seconds = round(time.perf_counter() - start, 3)
    cpu_seconds = round(time.process_time() - cpu, 3)
    with measure() as traced:
        write_task_table(tasks, "基准市任务分解表")

    def raw() -> bytes:
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = book.add_worksheet()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.title, i.name, t.method, t.deadline_text, t.arrangements, t.material_requirement"
                " FROM tasks_task t JOIN indicators_indicator i ON i.id = t.indicator_id ORDER BY t.source_row, t.id"
            )
            for row_number, row in enumerate(cursor, start=1):
                sheet.write_row(row_number, 0, [str(v or "") for v in row])
        book.close()
        return out.getvalue()

    raw_start, raw_cpu = time.perf_counter(), time.process_time()
    raw()
    raw_seconds, raw_cpu_seconds = time.perf_counter() - raw_start, time.process_time() - raw_cpu
    with measure() as raw_result:
        raw()
    raw_result.update(untraced_seconds=round(raw_seconds, 3), cpu_seconds=round(raw_cpu_seconds, 3))
    return {
        "tasks": tasks.count(),
        "bytes": len(data),
        "seconds": verdict(seconds, 5.0),
        "cpu_seconds": cpu_seconds,
        "peak_mb": verdict(traced["peak_mb"], 200.0),
        "seconds_under_tracemalloc": traced["seconds"],
        "raw_xlsxwriter": raw_result,
    }


def run(options: dict[str, Any]) -> dict[str, Any]:
    from contextlib import nullcontext

    from chuangwen.bench import scratch_database

    scale = float(options.get("scale") or 1.0)
    rows = max(20, int(IMPORT_ROWS * scale))
    city = max(50, int(CITY_TASKS * scale))
    repeat = int(options.get("repeat") or (30 if scale >= 0.5 else 5))
    # The smoke test runs inside the test database it already has (scratch=False).
    with scratch_database() if options.get("scratch", True) else nullcontext():
        world = _world()
        result: dict[str, Any] = {"area": "tasks", "scale": scale, "import": _bench_import(world, rows)}
        _fill_city(world, city - rows)
        _analyze()
        result["board"] = _bench_board(world, repeat)
        result["export"] = _bench_export(world)
    result["ok"] = all(
        v["ok"]
        for v in (
            result["import"]["seconds"],
            result["board"]["page_p95_ms"],
            result["export"]["seconds"],
            result["export"]["peak_mb"],
        )
    )
    return result
