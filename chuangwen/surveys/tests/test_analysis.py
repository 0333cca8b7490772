import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangwen.surveys import services
from chuangwen.surveys.analysis import Analysis, Grader, trend, wilson_interval
from chuangwen.surveys.models import Measure, Option, Question
from chuangwen.surveys.submission import void_response
from chuangwen.surveys.tests.factories import questionnaire, respond, round_of


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # All successes: the lower end is n / (n + z²) = 29 / 32.84.
        (29, 29, 0.8830, 1.0),
        # statsmodels proportion_confint(8, 10, method="wilson")
        (8, 10, 0.4902, 0.9433),
    ],
)
def test_the_wilson_interval_matches_published_values(successes, n, low, high):
    got_low, got_high = wilson_interval(successes, n)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


def test_the_wilson_interval_of_nothing_is_the_whole_range():
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_the_wilson_interval_stays_inside_zero_and_one_and_narrows_with_more_answers():
    small = wilson_interval(19, 20)
    large = wilson_interval(1900, 2000)
    assert 0 <= small[0] < small[1] <= 1
    assert (large[1] - large[0]) < (small[1] - small[0])


@pytest.fixture
def data(world):
    """Street A's community: q3 satisfied, satisfied, fairly (0.8), unsatisfied, unsure → 2.8 / 4.
    Street B's community: q3 satisfied twice → 1.0. q4 and q5 are unsatisfied in A and satisfied in B;
    B answers every other scored question at the top too."""
    q = questionnaire(world)
    round_ = round_of(q)
    for value in ("satisfied", "satisfied", "fairly", "unsatisfied", "unsure"):
        respond(round_, world.community_a, world.office, q3=value, q4="unsatisfied", q5="unsatisfied")
    for _ in range(2):
        respond(
            round_,
            world.community_b,
            world.office,
            q3="satisfied",
            q4="satisfied",
            q5="satisfied",
            q6="yes",
            q7=10,
        )
    return q, round_


def rate_of(rates, key):
    return next(r for r in rates if r.key == key)


def test_question_rates_pool_option_values_and_leave_dont_know_out(world, data):
    q, round_ = data
    q3 = q.questions.get(name="q3")
    rate = rate_of(Analysis(q, [round_], world.office).by_question(), q3.pk)
    assert rate.n == 6 and rate.answered == 7
    assert rate.rate == pytest.approx(4.8 / 6)
    assert (rate.low, rate.high) == pytest.approx(wilson_interval(4.8, 6))


def test_a_rate_exactly_on_the_threshold_is_not_flagged_and_grades_b(world, data):
    q, round_ = data
    rate = rate_of(Analysis(q, [round_], world.office).by_question(), q.questions.get(name="q3").pk)
    assert rate.rate == pytest.approx(0.8)
    assert not rate.below
    assert rate.grade == "B"  # A needs more than 80 %


def test_grade_bands_follow_the_questionnaire(world):
    grader = Grader(questionnaire(world))
    assert grader.grade(0.81) == "A"
    assert grader.grade(0.80) == "B"
    assert grader.grade(0.76) == "B"
    assert grader.grade(0.75) == "C"
    assert grader.grade(None) == ""


def test_area_rates_flag_the_area_below_the_threshold(world, data):
    q, round_ = data
    q3 = q.questions.get(name="q3")
    areas = Analysis(q, [round_], world.office).by_area(question=q3.pk)
    a, b = rate_of(areas, world.community_a.pk), rate_of(areas, world.community_b.pk)
    assert a.rate == pytest.approx(0.7) and a.below
    assert b.rate == 1.0 and not b.below
    flagged = {r.key for r in Analysis(q, [round_], world.office).flagged()}
    assert world.community_a.pk in flagged and world.community_b.pk not in flagged


def test_unit_rates_add_up_each_subtree(world, data):
    q, round_ = data
    q3 = q.questions.get(name="q3")
    units = Analysis(q, [round_], world.office).by_unit(question=q3.pk)
    assert rate_of(units, world.street_a.pk).rate == pytest.approx(0.7)
    assert rate_of(units, world.street_b.pk).rate == 1.0
    district = rate_of(units, world.district.pk)
    assert district.rate == pytest.approx(0.8) and district.n == 6
    streets = Analysis(q, [round_], world.office).by_unit(question=q3.pk, depth=world.street_a.depth)
    assert {r.key for r in streets} == {world.street_a.pk, world.street_b.pk}


def test_the_sibling_street_sees_nothing_of_street_a(world, data):
    q, round_ = data
    analysis = Analysis(q, [round_], world.liaison_b)
    q3 = q.questions.get(name="q3")
    assert rate_of(analysis.by_question(), q3.pk).n == 2
    assert {r.key for r in analysis.by_area()} == {world.community_b.pk}
    assert world.street_a.pk not in {r.key for r in analysis.by_unit()}
    assert world.district.pk not in {r.key for r in analysis.by_unit()}
    assert not analysis.flagged()


def test_indicator_rates_pool_the_questions_of_an_indicator(world, data):
    q, round_ = data
    Question.objects.filter(questionnaire=q, name__in=["q4", "q5"]).update(indicator_code="9.9.9")
    rates = Analysis(q, [round_], world.office).by_indicator()
    pooled = next(r for r in rates if r.key == "9.9.9")
    # Ten 0s in A, four 1s in B.
    assert pooled.n == 14 and pooled.rate == pytest.approx(4 / 14)
    assert pooled.extra["questions"] == ["q4", "q5"]


def test_changing_an_option_value_changes_the_rates_of_answers_already_stored(world, data):
    q, round_ = data
    q3 = q.questions.get(name="q3")
    fairly = Option.objects.get(question=q3, name="fairly")
    services.update_question(q3, {}, {fairly.pk: 1}, world.office)
    area = rate_of(Analysis(q, [round_], world.office).by_area(question=q3.pk), world.community_a.pk)
    assert area.rate == pytest.approx(0.75)


def test_a_void_response_no_longer_counts(world, data):
    q, round_ = data
    q3 = q.questions.get(name="q3")
    response = round_.responses.filter(unit=world.community_b).first()
    void_response(response, "重复录入", world.office)
    rate = rate_of(Analysis(q, [round_], world.office).by_area(question=q3.pk), world.community_b.pk)
    assert rate.n == 1


def _queries_for_rates(q, round_, user):
    user = type(user).objects.get(pk=user.pk)  # a fresh login: nothing cached on it
    analysis = Analysis(q, [round_], user)
    with CaptureQueriesContext(connection) as captured:
        analysis.by_question()
        analysis.by_area(Measure.SATISFACTION)
        analysis.by_unit(Measure.AWARENESS)
    return len(captured.captured_queries)


def test_rates_take_the_same_few_queries_however_many_responses(world, data):
    q, round_ = data
    before = _queries_for_rates(q, round_, world.liaison_a)
    for _ in range(10):
        respond(round_, world.community_a, world.office)
    assert _queries_for_rates(q, round_, world.liaison_a) == before <= 6


def test_distribution_counts_each_option_with_its_share(world, data):
    q, round_ = data
    q3 = q.questions.get(name="q3")
    counts = {
        d["label"]: (d["count"], d["share"])
        for d in Analysis(q, [round_], world.office).distribution()[q3.pk]
    }
    assert counts["满意"] == (4, pytest.approx(4 / 7, abs=1e-4))
    assert counts["说不清"] == (1, pytest.approx(1 / 7, abs=1e-4))


def test_the_trend_gives_each_measure_per_round_in_order(world, data):
    q, first = data
    second = round_of(q, name="第二轮")
    second.starts_on = first.starts_on
    for _ in range(3):
        respond(second, world.community_a, world.office)
    result = trend([second, first], world.office)
    assert [r["name"] for r in result["rounds"]] == ["第一轮", "第二轮"]
    satisfaction = next(s for s in result["series"] if s["measure"] == Measure.SATISFACTION)
    assert satisfaction["values"][0]["n"] == 20
    # The standard answers: q3 1, q4 0.8, q5 0 → 0.6.
    assert satisfaction["values"][1]["rate"] == pytest.approx(0.6)
