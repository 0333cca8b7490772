import datetime as dt

import pytest

from chuangwen.surveys import services
from chuangwen.surveys.analysis import Analysis
from chuangwen.surveys.hotline import import_callbacks
from chuangwen.surveys.models import Channel, Response, RoundMode
from chuangwen.surveys.standard import hotline_questionnaire
from chuangwen.surveys.tests.factories import round_of
from chuangwen.surveys.tests.test_xlsform import workbook

HEADER = ["工单编号", "所属社区", "回访时间", "诉求是否解决", "满意度"]


@pytest.fixture
def hotline(world):
    q = services.create_questionnaire(
        world.office, world.campaign, "12345回访", "citizen", design=hotline_questionnaire()
    )
    services.set_questionnaire_status(q, "open", world.office)
    q.refresh_from_db()
    return round_of(q, RoundMode.HOTLINE, name="6月回访")


def export(*rows):
    return workbook({"回访": [["12345热线回访明细"], HEADER, *rows]})


def test_a_dry_run_checks_every_row_and_stores_nothing(world, hotline):
    report = import_callbacks(
        hotline,
        export(
            ["A001", "松林一社区", "2024年6月3日", "是", "满意"],
            ["A002", "柳岸一社区", "2024-06-04", "否", "不满意"],
        ),
        world.office,
    )
    assert report.ok and len(report.rows) == 2
    assert report.columns == {"resolved": "诉求是否解决", "satisfaction": "满意度"}
    assert not Response.objects.exists()


def test_committed_callbacks_become_responses_of_the_round(world, hotline):
    data = export(
        ["A001", "松林一社区", "2024年6月3日", "是", "满意"],
        ["A002", "松林一社区", "2024-06-04", "否", "基本满意"],
    )
    report = import_callbacks(hotline, data, world.office, commit=True)
    assert report.stored == 2
    first = Response.objects.get(external_ref="A001")
    assert first.channel == Channel.HOTLINE and first.unit == world.community_a
    assert first.submitted_at.date() == dt.date(2024, 6, 3)
    satisfaction = next(
        r
        for r in Analysis(hotline.questionnaire, [hotline], world.office).by_question()
        if r.measure == "satisfaction"
    )
    assert satisfaction.rate == pytest.approx(0.9)


def test_importing_the_same_tickets_again_skips_them(world, hotline):
    import_callbacks(hotline, export(["A001", "松林一社区", "", "是", "满意"]), world.office, commit=True)
    report = import_callbacks(
        hotline,
        export(["A001", "松林一社区", "", "是", "满意"], ["A003", "柳岸一社区", "", "是", "满意"]),
        world.office,
        commit=True,
    )
    assert report.skipped == ["A001"] and report.stored == 1
    assert Response.objects.count() == 2


def test_bad_rows_are_reported_with_row_and_column_and_nothing_is_stored(world, hotline):
    report = import_callbacks(
        hotline,
        export(
            ["A001", "松林一社区", "", "是", "满意"],
            ["A002", "不存在社区", "", "是", "满意"],
            ["A003", "松林一社区", "", "是", "非常满意"],
            ["A001", "松林一社区", "", "是", "满意"],
            ["", "松林一社区", "", "是", "满意"],
            ["A004", "松林一社区", "下周", "是", "满意"],
        ),
        world.office,
        commit=True,
    )
    errors = "\n".join(report.errors)
    assert "Row 4, column B" in errors and "不存在社区" in errors
    assert "Row 5, column E" in errors and "非常满意" in errors
    assert "Row 6, column A" in errors and "twice" in errors
    assert "Row 7, column A" in errors
    assert "Row 8, column C" in errors
    assert not Response.objects.exists()


def test_callbacks_go_only_into_a_hotline_round(world, hotline):
    other = round_of(hotline.questionnaire, RoundMode.ENUMERATOR, name="入户")
    report = import_callbacks(
        other, export(["A001", "松林一社区", "", "是", "满意"]), world.office, commit=True
    )
    assert not report.ok and not Response.objects.exists()


def test_an_area_outside_the_campaign_territory_is_named_as_such(world, hotline):
    from chuangwen.org.models import Unit

    Unit.objects.create(name="外区一社区", code="X-C1")
    report = import_callbacks(
        hotline, export(["A009", "外区一社区", "2024-06-04", "是", "满意"]), world.office
    )
    [message] = report.errors
    assert "is not within this campaign's territory" in message and "Unknown area" not in message
