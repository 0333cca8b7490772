from decimal import Decimal

import pytest

from chuangwen.indicators.models import Method, Sanction
from chuangwen.indicators.parsing import (
    compare,
    method_from_label,
    parse_grade_bands,
    parse_methods,
    parse_sanction,
    parse_threshold,
)


@pytest.mark.parametrize(
    ("text", "methods"),
    [
        ("材料审核;实地考察;问卷调查", [Method.MATERIALS, Method.FIELD, Method.SURVEY]),
        ("部门评价、实景图片", [Method.DEPARTMENT, Method.PHOTOS]),
        ("网上申报（部门评价）", [Method.MATERIALS, Method.DEPARTMENT]),
        ("网上申报，材料审核", [Method.MATERIALS]),
        ("电话核验", [Method.PHONE]),
        ("实地考察 问卷调查", [Method.FIELD, Method.SURVEY]),
        ("field;survey", [Method.FIELD, Method.SURVEY]),
        ("", []),
    ],
)
def test_it_reads_assessment_methods_as_written(text, methods):
    assert parse_methods(text) == (methods, [])


def test_it_returns_words_it_does_not_know():
    assert parse_methods("材料审核;飞行检查") == ([Method.MATERIALS], ["飞行检查"])
    assert method_from_label("飞行检查") is None
    assert method_from_label("实地") == Method.FIELD


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        (">35%", ">", "35", "%"),
        ("≥98%", "≥", "98", "%"),
        ("≤30%", "≤", "30", "%"),
        ("<70％", "<", "70", "%"),
        (">=1.5平方米", "≥", "1.5", "平方米"),
        ("＞ 80%", ">", "80", "%"),
    ],
)
def test_it_parses_a_threshold_into_comparator_value_and_unit(text, comparator, value, unit):
    threshold = parse_threshold(text)
    assert (threshold.comparator, threshold.value, threshold.unit) == (comparator, Decimal(value), unit)


@pytest.mark.parametrize("text", ["", "35%", "about 30", "A"])
def test_it_refuses_text_that_is_not_a_threshold(text):
    assert parse_threshold(text) is None


def test_it_reads_grade_bands_with_the_measure_written_before_them():
    bands = parse_grade_bands("全年优良天数比例 A ≥80%；B ≥70%；C <70%")
    assert [(b.grade, b.threshold.expression) for b in bands] == [("A", "≥80%"), ("B", "≥70%"), ("C", "<70%")]
    assert bands[0].measure == "全年优良天数比例"


def test_it_reads_a_c_hash_band_and_ignores_a_lone_target():
    bands = parse_grade_bands("A >35%；B >30%；C ≤30%；C# ≤20%")
    assert [b.grade for b in bands] == ["A", "B", "C", "C#"]
    assert parse_grade_bands("农产品质量安全监测合格率≥98%") == []


def test_compare_applies_each_comparator():
    assert compare(Decimal("36"), ">", Decimal("35"))
    assert not compare(Decimal("35"), ">", Decimal("35"))
    assert compare(Decimal("35"), "≥", Decimal("35"))
    assert compare(Decimal("30"), "≤", Decimal("30"))


def test_it_reads_a_sanction():
    assert parse_sanction("扣5分") == (Sanction.DEDUCT, Decimal("5"))
    assert parse_sanction("扣 0.5 分") == (Sanction.DEDUCT, Decimal("0.5"))
    assert parse_sanction("取消参评资格") == (Sanction.DISQUALIFY, None)
    assert parse_sanction("一票否决") == (Sanction.DISQUALIFY, None)
    assert parse_sanction("3") == (Sanction.DEDUCT, Decimal("3"))
