"""Item scoring (pass/fail, occurrences → grade, deductions) and reproducible random draws."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from chuangwen.inspections import sampling
from chuangwen.inspections.scoring import evaluate, grade_scale, score_rate


@dataclass
class Item:
    check_mode: str = "observe_absence"
    scoring: str = "pass_fail"
    points: Decimal = Decimal("3")
    params: dict = field(default_factory=dict)


@pytest.mark.parametrize(
    ("occurrences", "grade", "score"),
    [(0, "A", "3.00"), (1, "B", "1.98"), (2, "C", "0.99"), (3, "C#", "0.00"), (9, "C#", "0.00")],
)
def test_occurrences_map_to_grades_a_b_c_c_sharp_by_default(occurrences, grade, score):
    ev = evaluate(Item(scoring="occurrences_abc"), occurrences=occurrences)
    assert (ev.grade, ev.score, ev.max_score) == (grade, Decimal(score), Decimal("3.00"))
    assert ev.failed is (occurrences > 0)


def test_the_occurrence_map_is_configurable_by_round_and_overridden_by_the_item():
    item = Item(scoring="occurrences_abc", params={"grade_rates": {"B": 0.8}})
    round_config = {"grade_thresholds": [1, 3, 5]}
    assert evaluate(item, occurrences=1, round_config=round_config).grade == "A"
    ev = evaluate(item, occurrences=2, round_config=round_config)
    assert (ev.grade, ev.score) == ("B", Decimal("2.40"))
    assert grade_scale({}, None)[0] == (0, 1, 2)


def test_pass_fail_items_score_all_or_nothing():
    assert evaluate(Item(), "pass").score == Decimal("3.00")
    failed = evaluate(Item(), "fail")
    assert (failed.score, failed.grade, failed.failed) == (Decimal("0.00"), "C#", True)


def test_a_rate_item_is_judged_from_the_percentage_entered():
    lamps = Item(check_mode="rate_threshold", params={"lamp_rate_min": 0.95})
    assert evaluate(lamps, value=Decimal("96")).result == "pass"
    assert evaluate(lamps, value=Decimal("94.9")).result == "fail"
    # The number decides even if the inspector tapped "pass".
    assert evaluate(lamps, "pass", value=Decimal("80")).failed


def test_a_count_item_passes_from_its_minimum_count():
    ads = Item(check_mode="count_min", params={"min_count": 5, "interval_m": 10})
    assert evaluate(ads, value=Decimal("5")).result == "pass"
    assert evaluate(ads, value=Decimal("4")).result == "fail"
    walk = Item(check_mode="count_per_distance", params={"walk_m": 200, "min_count": 1})
    assert evaluate(walk, value=Decimal("0")).failed


def test_a_few_occurrences_may_pass_under_max_count():
    cables = Item(params={"max_count": 3})
    assert evaluate(cables, occurrences=3).result == "pass"
    assert evaluate(cables, occurrences=4).result == "fail"


def test_deductions_take_points_per_occurrence_but_never_below_zero():
    item = Item(scoring="deduction", params={"deduct": 0.5})
    assert evaluate(item, occurrences=2).score == Decimal("2.00")
    assert evaluate(item, occurrences=99).score == Decimal("0.00")
    assert evaluate(Item(scoring="deduction"), occurrences=1).score == Decimal("2.00")  # a third by default


def test_not_applicable_and_pending_items_are_left_out_of_the_rate():
    assert evaluate(Item(), "na").max_score == 0
    assert evaluate(Item()).pending
    rows = [
        (Decimal("3"), Decimal("3"), Decimal("1")),
        (Decimal("0"), Decimal("3"), Decimal("2")),
        (None, None, Decimal("1")),
        (Decimal("0"), Decimal("0"), Decimal("1")),
    ]
    assert score_rate(rows) == (3.0, 9.0, 33.33)


CANDIDATES = [(pk, "ZCGD" if pk % 3 else "XQ") for pk in range(1, 301)]


def test_the_same_seed_draws_the_same_points():
    first = sampling.draw(CANDIDATES, {"ZCGD": 10, "XQ": 5}, seed=20240601)
    again = sampling.draw(list(reversed(CANDIDATES)), {"XQ": 5, "ZCGD": 10}, seed=20240601)
    assert first.ids == again.ids and len(first.ids) == 15
    assert first.digest == again.digest
    assert sampling.draw(CANDIDATES, {"ZCGD": 10, "XQ": 5}, seed=7).ids != first.ids


def test_a_draw_respects_each_type_quota_and_reports_a_shortfall():
    result = sampling.draw(CANDIDATES, {"ZCGD": 3, "XQ": 500, "GY": 2}, seed=1)
    assert len(result.by_type["ZCGD"]) == 3
    assert len(result.by_type["XQ"]) == 100  # every XQ point, no more exist
    assert result.shortfall == {"XQ": 400, "GY": 2}
    assert all(pk % 3 == 0 for pk in result.by_type["XQ"])
    assert result.candidates_count == 300
