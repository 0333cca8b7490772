"""12345 work orders whole: their state and closing time come in, their status goes back in
the hotline system's layout, and every unreadable cell is named."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from chuangwen.problems import imports, services
from chuangwen.problems.models import EventKind, Problem, ProblemTally, Source, Status

pytestmark = pytest.mark.django_db
HEADER = ["工单编号", "来电时间", "诉求内容", "地址", "问题分类", "承办单位", "状态", "办结时间", "回复内容"]


def hotline_file(rows, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["12345 热线工单导出"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CLOSED_ROW = [
    "GD100",
    "2026-03-02 09:00",
    "门口垃圾没人收",
    "松林路1号",
    "暴露垃圾",
    "松林街道",
    "已办结",
    "2026-03-03 16:20",
    "已清运",
]
OPEN_ROW = ["GD101", "2026-03-02 10:00", "路灯不亮", "柳岸路", "路灯不亮", "松林街道", "办理中", "", ""]


def test_an_order_closed_in_the_hotline_system_is_imported_closed_with_its_time_and_source(world):
    done = imports.run(hotline_file([CLOSED_ROW, OPEN_ROW]), world.office, commit=True)
    assert (done.created, done.closed) == (2, 1)
    closed = Problem.objects.get(external_ref="GD100")
    assert closed.status == Status.CLOSED
    assert timezone.localtime(closed.closed_at).replace(tzinfo=None) == dt.datetime(2026, 3, 3, 16, 20)
    event = closed.events.last()
    assert event.kind == EventKind.HOTLINE_CLOSED and event.data["source"] == Source.HOTLINE_12345
    assert "已清运" in closed.status_note and event.note == "已清运"
    assert ProblemTally.objects.filter(unit=world.street_a, closed=1).exists()
    assert Problem.objects.get(external_ref="GD101").status == Status.DISPATCHED


def test_an_order_imported_open_and_closed_later_in_the_hotline_is_closed_on_the_next_import(world):
    imports.run(hotline_file([OPEN_ROW]), world.office, commit=True)
    later = [*OPEN_ROW[:6], "已办结", "2026-03-04 10:00", "已修复"]
    dry = imports.run(hotline_file([later]), world.office)
    assert list(dry.closing) == [Problem.objects.get().pk] and not dry.errors
    assert Problem.objects.get().status == Status.DISPATCHED  # a dry run writes nothing
    done = imports.run(hotline_file([later]), world.office, commit=True)
    assert done.closed == 1 and Problem.objects.get().status == Status.CLOSED
    again = imports.run(hotline_file([later]), world.office, commit=True)
    assert again.skipped == ["GD101"] and again.closed == 0


def test_a_closed_order_without_a_closing_time_is_closed_now_with_a_warning(world):
    row = [*CLOSED_ROW[:7], "", ""]
    done = imports.run(hotline_file([row]), world.office, commit=True)
    assert not done.errors and [w.column for w in done.warnings] == ["H"]
    assert Problem.objects.get().status == Status.CLOSED


def test_an_unknown_state_is_an_error_naming_the_cell(world):
    result = imports.run(hotline_file([[*OPEN_ROW[:6], "大概好了", "", ""]]), world.office, commit=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "G")]
    assert "大概好了" in str(result.errors[0])
    assert not Problem.objects.exists()


@pytest.mark.parametrize("call_time", ["昨天下午", "2026-13-45", "2026-02-30 10:00"])
def test_an_unreadable_call_time_fails_the_dry_run_naming_the_cell(world, call_time):
    result = imports.run(hotline_file([[OPEN_ROW[0], call_time, *OPEN_ROW[2:]]]), world.office)
    assert [(e.row, e.column) for e in result.errors] == [(3, "B")]
    assert call_time in str(result.errors[0])
    assert str(result.errors[0]).startswith("Row 3, column B")


def test_file_level_errors_say_what_is_wrong_with_the_file_not_row_0(world):
    not_excel = imports.run(b"this is not a spreadsheet", world.office)
    [message] = [str(e) for e in not_excel.errors]
    assert "Row" not in message and "column" not in message and message
    no_header = imports.run(hotline_file([["a", "b"]], header=["甲", "乙"]), world.office)
    [message] = [str(e) for e in no_header.errors]
    assert "工单编号" in message and "Row" not in message


def test_the_status_export_is_in_the_hotline_systems_layout(world):
    imports.run(hotline_file([CLOSED_ROW, OPEN_ROW]), world.office, commit=True)
    returned = services.report(
        "hotline",
        category=Problem.objects.first().category,
        description="不属于创城",
        source=Source.HOTLINE_12345,
        channel="import",
        address="松林路",
        external_ref="GD102",
    )
    services.mark_not_applicable(returned, world.office, reason="非本辖区")
    response = world.client("office").get("/problems/hotline/status.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["工单编号", "办理结果", "办结时间", "回复内容"]
    by_ref = {r[0]: r for r in rows[1:]}
    assert by_ref["GD100"][1:3] == ("已办结", "2026-03-03 16:20") and "已清运" in by_ref["GD100"][3]
    assert by_ref["GD101"][1] == "办理中" and by_ref["GD101"][2] in (None, "")
    assert by_ref["GD102"][1] == "退回" and by_ref["GD102"][3] == "非本辖区"


@pytest.mark.parametrize("as_cells", [False, True])
def test_date_only_cells_take_noon_for_the_call_and_the_end_of_the_working_day_for_the_deadline(
    world, as_cells
):
    """A day without a time: the call is put at 12:00, the deadline at 18:00 (core.dates), both
    for a typed "2026-03-02" and for a real date cell."""
    call, due = (dt.date(2026, 3, 2), dt.date(2026, 3, 9)) if as_cells else ("2026-03-02", "2026-03-09")
    header = [*HEADER, "办结时限"]
    row = ["GD300", call, "门口垃圾没人收", "松林路3号", "暴露垃圾", "松林街道", "办理中", "", "", due]
    done = imports.run(hotline_file([row], header=header), world.office, commit=True)
    assert done.created == 1, done.errors
    problem = Problem.objects.get(external_ref="GD300")
    assert timezone.localtime(problem.reported_at).replace(tzinfo=None) == dt.datetime(2026, 3, 2, 12, 0)
    assert timezone.localtime(problem.deadline).replace(tzinfo=None) == dt.datetime(2026, 3, 9, 18, 0)
