import datetime as dt

import pytest

from chuangwen.materials.models import Cadence, MaterialKind
from chuangwen.materials.parsing import cn_number, parse_requirement_text


def only(text):
    drafts = parse_requirement_text(text)
    assert len(drafts) == 1, drafts
    return drafts[0]


def test_it_reads_a_quarterly_photo_rule_with_participants_and_organiser():
    draft = only("每季度开展一次活动，提供不少于2张照片，参与人数不少于10人，注明主办单位")
    assert draft.kind == MaterialKind.PHOTOS
    assert draft.cadence == Cadence.QUARTERLY
    assert draft.photos_min == 2 and draft.photos_max is None
    assert draft.min_participants == 10
    assert draft.organiser_required is True


def test_it_reads_a_word_limit_on_an_explanatory_report():
    draft = only("说明报告800字")
    assert draft.kind == MaterialKind.REPORT
    assert draft.words_max == 800 and draft.words_min is None


def test_a_bare_photo_count_is_exact_and_the_total_is_a_cap():
    draft = only("实景图片3张，总数不超过12张")
    assert (draft.photos_min, draft.photos_max, draft.photos_total_max) == (3, 3, 12)


def test_one_text_can_ask_for_a_report_and_photos_each_with_its_own_rules():
    report, photos = parse_requirement_text("说明报告800字，实景图片3张，总数不超过12张")
    assert report.kind == MaterialKind.REPORT and report.words_max == 800 and report.photos_min is None
    assert photos.kind == MaterialKind.PHOTOS and photos.photos_total_max == 12 and photos.words_max is None


def test_it_reads_the_commerce_bureaus_quarterly_rule_as_written_in_the_plan():
    draft = only(
        "①提供本市开展主体信用承诺、诚信经营、放心消费主题实践活动的图片资料（每季度举办一场活动，"
        "提供2张活动图片，需明确主办单位，不少于10人参加，图片中无不文明行为）。"
    )
    assert draft.kind == MaterialKind.PHOTOS
    assert draft.cadence == Cadence.QUARTERLY
    assert draft.photos_min == 2 and draft.min_participants == 10 and draft.organiser_required
    assert "图片中无不文明行为" in draft.notes
    assert not draft.title.startswith("①")


def test_named_days_become_named_dates_and_undated_weeks_are_kept_for_the_office_to_date():
    draft = only(
        "②提供在“3.15”国际消费者权益日、全国食品安全宣传周、全国“质量月”开展诚信教育活动的图片资料"
        "（在活动节点开展活动，每次活动提供至少2张图片，需明确主办单位，不少于10人参加）。"
    )
    assert draft.cadence == Cadence.NAMED_DATES
    labels = [entry["label"] for entry in draft.named_dates]
    assert labels == ["3·15", "全国食品安全宣传周", "质量月"]
    assert draft.named_dates[0]["md"] == "03-15"
    assert draft.named_dates[2] == {"label": "质量月", "md": "09-01", "days": 30}
    assert "md" not in draft.named_dates[1] and "festival" not in draft.named_dates[1]


def test_a_summary_about_a_festival_is_one_report_not_a_dated_series():
    draft = only("上报端午节活动开展情况总结。")
    assert draft.kind == MaterialKind.SUMMARY
    assert draft.cadence == Cadence.ONCE


def test_a_department_evaluation_is_a_summary():
    assert (
        only("省相关部门对本市建设美丽乡村，推进厕所革命等情况作出评价（部门评价）。").kind
        == MaterialKind.SUMMARY
    )


def test_photos_of_norms_are_photos_not_a_normative_document():
    draft = only(
        "提供本市（区）体现社会主义核心价值观要求的行业规范等规范守则的图片资料。（每季度举办一场活动，提供至少2张图片）"
    )
    assert draft.kind == MaterialKind.PHOTOS and draft.photos_min == 2


def test_coordinated_kinds_each_get_a_draft_and_a_minimum_word_count():
    norm, report = parse_requirement_text("提供相关制度文件及落实情况说明报告，报告字数不少于1500字")
    assert norm.kind == MaterialKind.NORM
    assert report.kind == MaterialKind.REPORT and report.words_min == 1500 and report.words_max is None


def test_a_monthly_table_with_an_evidence_window():
    draft = only("每月报送工作台账，时间为2023年9月1日至2024年8月31日")
    assert draft.kind == MaterialKind.TABLE and draft.cadence == Cadence.MONTHLY
    assert (draft.window_from, draft.window_to) == (dt.date(2023, 9, 1), dt.date(2024, 8, 31))


def test_a_window_written_in_months_ends_on_the_last_day_of_its_month():
    draft = only("2024年1月至2024年10月期间的活动照片不少于3张")
    assert (draft.window_from, draft.window_to) == (dt.date(2024, 1, 1), dt.date(2024, 10, 31))


def test_ranges_and_chinese_numerals_are_read():
    video, photos = parse_requirement_text("活动视频1段，照片5-8张，参加人数三十人以上")
    assert video.kind == MaterialKind.VIDEO
    assert (photos.photos_min, photos.photos_max, photos.min_participants) == (5, 8, 30)


def test_full_width_digits_and_punctuation_are_read():
    draft = only("每月开展活动，提供不少于３张照片；参与人数不少于２０人")
    assert draft.cadence == Cadence.MONTHLY and draft.photos_min == 3 and draft.min_participants == 20


def test_words_within_a_limit_and_at_least_are_told_apart():
    assert only("情况说明不超过1000字").words_max == 1000
    assert only("工作总结不少于2000字").words_min == 2000
    both = only("专题报告1000-3000字")
    assert (both.words_min, both.words_max) == (1000, 3000)


def test_text_naming_no_material_gives_no_draft():
    assert parse_requirement_text("") == []
    assert parse_requirement_text("加强组织领导，形成工作合力") == []


def test_the_draft_fills_the_form_with_named_dates_as_lines():
    initial = only("在端午节、3.15开展活动，每次提供2张照片").as_initial()
    assert initial["cadence"] == Cadence.NAMED_DATES
    assert initial["named_dates_text"].splitlines() == ["3·15 = 03-15", "端午节"] or initial[
        "named_dates_text"
    ].splitlines() == ["端午节", "3·15 = 03-15"]


@pytest.mark.parametrize(
    ("text", "value"), [("2", 2), ("十", 10), ("十二", 12), ("两", 2), ("二十五", 25), ("x", None)]
)
def test_chinese_numbers(text, value):
    assert cn_number(text) == value
