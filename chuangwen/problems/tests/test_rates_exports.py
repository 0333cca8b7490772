import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.utils import timezone

from chuangwen.problems import exports, imports, rates, services, tally
from chuangwen.problems.models import Problem, ProblemTally, Source, Status
from chuangwen.problems.tests.factories import category, photo, problem_in_street_a

pytestmark = pytest.mark.django_db


def close(world, problem, on_time=True):
    problem = services.accept(problem, world.liaison_a)
    problem = services.submit(problem, world.liaison_a, measures="已整改", photos=[photo()])
    if not on_time:
        Problem.objects.filter(pk=problem.pk).update(deadline=problem.submitted_at - dt.timedelta(hours=1))
    return services.verify(problem, world.inspector, passed=True)


def test_rates_count_closed_after_verification_over_all_due(world):
    past = timezone.now() - dt.timedelta(hours=1)
    close(world, problem_in_street_a(world))  # closed on time
    close(world, problem_in_street_a(world), on_time=False)  # closed late
    overdue = problem_in_street_a(world)
    Problem.objects.filter(pk=overdue.pk).update(deadline=past)  # due, not closed
    problem_in_street_a(world, category=category("路面破损"))  # not due yet: not counted in due
    reworked = problem_in_street_a(world, unit=world.street_b)
    reworked = services.accept(reworked, world.office)
    reworked = services.submit(reworked, world.office, measures="x", photos=[photo()])
    services.verify(reworked, world.inspector, passed=False, note="不合格")
    dup = problem_in_street_a(world)
    services.mark_not_applicable(dup, world.office, reason="误报")

    rows, total = rates.rates(world.office, "unit")
    by_unit = {r.label: r for r in rows}
    a = by_unit[world.street_a.name]
    assert (a.total, a.due, a.closed, a.on_time) == (4, 3, 2, 1)
    assert a.rectification_rate == 66.7 and a.on_time_rate == 33.3
    b = by_unit[world.street_b.name]
    assert (b.rework, b.reworked) == (1, 1)
    assert total.total == 5
    assert rows[-1].rectification_rate is None or rows[0].rectification_rate <= rows[-1].rectification_rate


def test_the_tallied_rates_by_unit_equal_counting_every_row(world):
    past = timezone.now() - dt.timedelta(hours=1)
    close(world, problem_in_street_a(world))
    close(world, problem_in_street_a(world, unit=world.community_a), on_time=False)
    late = problem_in_street_a(world, unit=world.street_b)
    Problem.objects.filter(pk=late.pk).update(deadline=past)
    reworked = services.accept(problem_in_street_a(world), world.liaison_a)
    reworked = services.submit(reworked, world.liaison_a, measures="x", photos=[photo()])
    reworked = services.verify(reworked, world.inspector, passed=False, note="再改")
    reworked = services.submit(reworked, world.liaison_a, measures="再次整改", photos=[photo()])
    services.verify(reworked, world.inspector, passed=True)
    problem_in_street_a(world, unit=None, address="无名路")  # the queue

    def table(rows):
        return sorted(((r.key or 0), r.total, r.due, r.closed, r.on_time, r.rework, r.reworked) for r in rows)

    as_of = timezone.now()
    tallied = rates._tallied(world.office, None, None, as_of)
    assert table(tallied) == table(rates._counted_live(world.office, "unit", None, None, as_of))
    assert ProblemTally.objects.count() == 2
    before = table(tallied)
    tally.rebuild()
    assert table(rates._tallied(world.office, None, None, as_of)) == before


def test_rates_roll_communities_up_to_their_street_and_group_by_month_and_source(world):
    problem_in_street_a(world, unit=world.community_a)
    problem_in_street_a(world, unit=world.street_a, source=Source.HOTLINE_12345)
    rows, _total = rates.rates(world.office, "street")
    assert [(r.label, r.total) for r in rows] == [(world.street_a.name, 2)]
    months, _ = rates.rates(world.office, "month")
    assert months[0].label == timezone.localdate().strftime("%Y-%m")
    sources, _ = rates.rates(world.office, "source")
    assert {r.key for r in sources} == {Source.INSPECTION, Source.HOTLINE_12345}


def test_each_role_sees_rates_of_its_own_scope(world):
    problem_in_street_a(world)
    problem_in_street_a(world, unit=world.street_b)
    page_a = world.client("liaison_a").get("/problems/rates/").content.decode()
    assert world.street_a.name in page_a and world.street_b.name not in page_a
    api = world.client("office").get("/api/problems/rates", {"by": "unit"}).json()
    assert {r["label"] for r in api} >= {world.street_a.name, world.street_b.name}


def test_the_ledger_has_one_row_per_problem_in_scope(world):
    problem_in_street_a(world, description="甲问题")
    problem_in_street_a(world, unit=world.street_b, description="乙问题")
    response = world.client("unit_admin_a").get("/problems/export/ledger.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2
    assert "甲问题" in values[1]


def test_the_problem_list_groups_by_street_then_point_type_then_point(world):
    problem_in_street_a(world, unit=world.community_a, description="第一处", point_ref="P-1")
    problem_in_street_a(world, unit=world.community_a, description="第二处", point_ref="P-1")
    problem_in_street_a(world, unit=world.street_b, description="第三处", address="柳岸路")
    data = exports.problem_list(Problem.objects.all(), "督查通报附件")
    lines = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]
    assert lines[0] == "督查通报附件"
    street_a = lines.index(next(x for x in lines if world.street_a.name in x))
    assert lines[street_a + 2] == "P-1"
    assert lines[street_a + 3].startswith("1. 第一处") and lines[street_a + 4].startswith("2. 第二处")
    assert any(
        x.startswith(f"二、{world.street_b.name}") or x.startswith(f"一、{world.street_b.name}")
        for x in lines
    )
    response = world.client("office").get("/problems/export/list.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def hotline_file(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["12345 热线工单导出"])
    sheet.append(["工单编号", "来电时间", "诉求内容", "地址", "问题分类", "承办单位", "办结时限", "联系电话"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_12345_import_dry_run_names_each_error_by_row_and_column_and_writes_nothing(world):
    data = hotline_file(
        [
            [
                "GD001",
                "2026-03-02 09:00",
                "门口垃圾没人收",
                "松林路1号",
                "暴露垃圾",
                "松林街道",
                "2026年3月5日",
                "13800001111",
            ],
            ["GD002", "2026-03-02 10:00", "占道", "松林路2号", "不存在的分类", "火星街道", "", ""],
            ["GD001", "2026-03-02 11:00", "重复", "", "暴露垃圾", "", "", ""],
        ]
    )
    result = imports.run(data, world.office, commit=True)
    found = [(e.row, e.column) for e in result.errors]
    # Row 1 is the title, row 2 the header: the second work order is on row 4.
    assert found == [(4, "E"), (4, "F"), (5, "A")]
    assert "GD001" in str(result.errors[2])
    assert not result.committed and not Problem.objects.exists()


def test_a_12345_import_commits_all_rows_and_skips_them_the_next_time(world):
    data = hotline_file(
        [
            [
                "GD001",
                "2026-03-02 09:00",
                "门口垃圾没人收",
                "松林路1号",
                "暴露垃圾",
                "松林街道",
                "2026年3月5日",
                "13800001111",
            ],
            ["GD002", "2026-03-02 10:00", "路灯不亮", "柳岸路", "路灯不亮", "", "", ""],
        ]
    )
    dry = imports.run(data, world.office)
    assert not dry.errors and len(dry.rows) == 2 and not Problem.objects.exists()
    done = imports.run(data, world.office, commit=True)
    assert done.committed and done.created == 2
    first = Problem.objects.get(external_ref="GD001")
    assert (first.source, first.unit, first.status) == (
        Source.HOTLINE_12345,
        world.street_a,
        Status.DISPATCHED,
    )
    assert timezone.localtime(first.deadline).date() == dt.date(2026, 3, 5)
    assert Problem.objects.get(external_ref="GD002").status == Status.REPORTED  # no owner: the queue
    again = imports.run(data, world.office, commit=True)
    assert again.skipped == ["GD001", "GD002"] and again.created == 0
    response = world.client("office").get("/problems/hotline/status.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == ["GD001", "GD002"]


def test_the_import_page_runs_a_dry_run_then_a_commit(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = hotline_file([["GD009", "", "噪音", "松林路", "暴露垃圾", "", "", ""]])
    client = world.client("office")
    page = client.post("/problems/hotline/import/", {"file": SimpleUploadedFile("a.xlsx", data)})
    assert page.status_code == 200 and not Problem.objects.exists()
    client.post("/problems/hotline/import/", {"file": SimpleUploadedFile("a.xlsx", data), "commit": "on"})
    assert Problem.objects.filter(external_ref="GD009").exists()
    refused = client.post("/problems/hotline/import/", {"file": SimpleUploadedFile("a.xlsx", b"not excel")})
    assert "Excel" in refused.content.decode() or "xlsx" in refused.content.decode()
