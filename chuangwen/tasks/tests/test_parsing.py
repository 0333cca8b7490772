import datetime as dt

import pytest

from chuangwen.core.text import clean_cell
from chuangwen.tasks.models import AssignmentRole, Cadence
from chuangwen.tasks.parsing import (
    UnitName,
    parse_arrangements,
    parse_people,
    parse_schedule,
    parse_unit_list,
)
from chuangwen.tasks.periods import add_months, month_end, quarter_end, quarter_start

D = dt.date


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("2024年6月30日", D(2024, 6, 30)),
        ("2024-06-30", D(2024, 6, 30)),
        ("2024/6/30", D(2024, 6, 30)),
        ("2024.6.30前", D(2024, 6, 30)),
        ("２０２４年６月３０日", D(2024, 6, 30)),
        ("6月底", D(2024, 6, 30)),
        ("6月30日前", D(2024, 6, 30)),
        ("6月前", D(2024, 6, 30)),
        ("2月底", D(2024, 2, 29)),
        ("6月中旬", D(2024, 6, 20)),
        ("6月上旬", D(2024, 6, 10)),
        ("年底", D(2024, 12, 31)),
        ("上半年", D(2024, 6, 30)),
        ("2025年3月", D(2025, 3, 31)),
        ("①6月底", D(2024, 6, 30)),
    ],
)
def test_it_reads_a_chinese_deadline_as_a_date(text, deadline):
    schedule = parse_schedule(text, 2024)
    assert schedule.cadence == Cadence.ONCE
    assert schedule.deadline == deadline
    assert schedule.text == clean_cell(text)  # kept as written, in half-width


@pytest.mark.parametrize(
    ("text", "cadence"),
    [
        ("每月", Cadence.MONTHLY),
        ("每月底前", Cadence.MONTHLY),
        ("每季度", Cadence.QUARTERLY),
        ("按季度报送", Cadence.QUARTERLY),
        ("每年", Cadence.YEARLY),
        ("长期坚持", Cadence.ONGOING),
        ("常态化开展", Cadence.ONGOING),
        ("", Cadence.ONGOING),
    ],
)
def test_it_reads_a_cadence(text, cadence):
    assert parse_schedule(text, 2024).cadence == cadence


def test_it_reads_named_dates_with_the_last_one_as_the_deadline():
    schedule = parse_schedule("3·15、质量月", 2024)
    assert schedule.cadence == Cadence.NAMED_DATES
    assert schedule.dates == [D(2024, 3, 15), D(2024, 9, 30)]
    assert schedule.deadline == D(2024, 9, 30)
    assert schedule.events == ["3·15", "质量月"]


def test_it_keeps_a_lunar_festival_as_an_event_without_a_date():
    schedule = parse_schedule("端午节前", 2024)
    assert schedule.cadence == Cadence.NAMED_DATES
    assert schedule.events == ["端午"]
    assert schedule.deadline is None


def test_it_does_not_list_a_shorter_event_inside_a_longer_one():
    assert parse_schedule("全国食品安全宣传周", 2024).events == ["食品安全宣传周"]


def test_it_takes_a_date_cell_and_an_excel_serial_number_as_they_are():
    assert parse_schedule(D(2024, 5, 1), 2024).deadline == D(2024, 5, 1)
    assert parse_schedule(dt.datetime(2024, 5, 1, 0, 0), 2024).deadline == D(2024, 5, 1)
    assert parse_schedule(45473, 2024).deadline == D(2024, 6, 30)


@pytest.mark.parametrize("text", ["尽快", "2024年13月1日", "6月31日", "ABC", "按上级通知", "视情况"])
def test_a_deadline_it_cannot_read_is_kept_as_written_without_a_date(text):
    schedule = parse_schedule(text, 2024)
    assert schedule.unreadable and schedule.deadline is None and schedule.text == text


def test_it_splits_units_on_every_separator_offices_use():
    text = "区商务局、区城管局，区卫健局,区教体局；区公安分局;区市场监管局/区文旅局\n区住建局"
    assert [u.name for u in parse_unit_list(text)] == [
        "区商务局",
        "区城管局",
        "区卫健局",
        "区教体局",
        "区公安分局",
        "区市场监管局",
        "区文旅局",
        "区住建局",
    ]


def test_it_reads_a_role_from_parentheses_or_a_suffix():
    assert parse_unit_list("区商务局（牵头）、各街道") == [
        UnitName("区商务局", AssignmentRole.LEAD),
        UnitName("各街道"),
    ]
    assert parse_unit_list("区城管局牵头") == [UnitName("区城管局", AssignmentRole.LEAD)]
    assert parse_unit_list("区公安分局(配合)") == [UnitName("区公安分局", AssignmentRole.COOPERATING)]
    assert parse_unit_list("区商务局 牵头") == [UnitName("区商务局", AssignmentRole.LEAD)]


def test_it_keeps_other_parenthesised_text_as_a_note_without_splitting_inside_it():
    assert parse_unit_list("区城管局（市容科、环卫科）、区公安分局") == [
        UnitName("区城管局", None, "市容科、环卫科"),
        UnitName("区公安分局"),
    ]


def test_it_drops_list_markers_labels_and_a_trailing_deng():
    assert [u.name for u in parse_unit_list("①区商务局②区城管局")] == ["区商务局", "区城管局"]
    assert [u.name for u in parse_unit_list("责任单位：区卫健局等")] == ["区卫健局"]
    assert [u.name for u in parse_unit_list("1.区文明办")] == ["区文明办"]


def test_it_treats_a_space_from_a_line_break_as_a_separator_but_not_inside_a_short_name():
    assert [u.name for u in parse_unit_list("松林街道 柳岸街道")] == ["松林街道", "柳岸街道"]
    assert [u.name for u in parse_unit_list("区 商务局")] == ["区 商务局"]
    assert parse_unit_list("区商务局 （牵头）") == [UnitName("区商务局", AssignmentRole.LEAD)]


def test_it_lists_each_unit_once():
    assert [u.name for u in parse_unit_list("区商务局、区商务局")] == ["区商务局"]


def test_it_reads_people_names_like_units():
    assert parse_people("张三、李四（副局长）") == ["张三", "李四"]
    assert parse_people("") == []


def test_it_turns_monthly_arrangements_into_dated_milestones():
    steps = parse_arrangements("4月，组织召开工作会议;\n5月：加强清理整治；6月份:强化水域环境净化。", 2024)
    assert [(s.month, s.label, s.text) for s in steps] == [
        (D(2024, 4, 1), "4月", "组织召开工作会议"),
        (D(2024, 5, 1), "5月", "加强清理整治"),
        (D(2024, 6, 1), "6月份", "强化水域环境净化"),
    ]


def test_it_keeps_text_before_the_first_month_and_starts_a_range_in_its_first_month():
    steps = parse_arrangements("全年推进。4-6月：开展整治；7月：巩固", 2024)
    assert [(s.month, s.text) for s in steps] == [
        (None, "全年推进"),
        (D(2024, 4, 1), "开展整治"),
        (D(2024, 7, 1), "巩固"),
    ]


def test_it_gives_no_milestones_for_text_without_months():
    assert parse_arrangements("按要求开展活动，提供2张图片", 2024) == []
    assert parse_arrangements("", 2024) == []


def test_it_does_not_mistake_a_number_inside_a_sentence_for_a_month():
    steps = parse_arrangements("4月：提供2张图片，不少于10人参加", 2024)
    assert [s.month for s in steps] == [D(2024, 4, 1)]


def test_period_helpers_know_month_and_quarter_ends():
    assert month_end(D(2024, 2, 10)) == D(2024, 2, 29)
    assert quarter_start(D(2024, 5, 10)) == D(2024, 4, 1)
    assert quarter_end(D(2024, 5, 10)) == D(2024, 6, 30)
    assert add_months(D(2024, 12, 31), 1) == D(2025, 1, 1)
    assert add_months(D(2024, 1, 15), -1) == D(2023, 12, 1)


def test_a_dated_step_in_a_month_plan_stays_one_date():
    steps = parse_arrangements("3月15日：开展消费者权益日宣传；4月：组织检查", 2026)
    assert [(s.month, s.label, s.text) for s in steps] == [
        (D(2026, 3, 1), "3月15日", "开展消费者权益日宣传"),
        (D(2026, 4, 1), "4月", "组织检查"),
    ]


def test_a_month_without_a_year_is_the_next_such_month_from_the_import_date_and_says_so():
    schedule = parse_schedule("1月底", D(2026, 12, 15))
    assert schedule.deadline == D(2027, 1, 31) and "2027" in schedule.chosen
