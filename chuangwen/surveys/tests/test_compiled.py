import pytest

from chuangwen.surveys import services
from chuangwen.surveys.compiled import SubmissionInvalid, compile_questionnaire
from chuangwen.surveys.models import Option, Question, Sex
from chuangwen.surveys.tests.factories import answers, questionnaire


@pytest.fixture
def form(world):
    return compile_questionnaire(questionnaire(world))


def scores_of(outcome, form):
    names = {q.id: q.name for q in form.questions}
    return {names[row.question_id]: row.score for row in outcome.rows}


def test_a_complete_interview_gives_one_row_per_answer_and_per_picked_option(form):
    outcome = form.validate(answers())
    assert not outcome.screened_out
    # 12 answered questions, the multiple choice q8 with two options: 13 rows.
    assert len(outcome.rows) == 13
    assert outcome.sex == Sex.FEMALE and outcome.age == 30


def test_scores_follow_the_option_values_and_the_rating_scale(form):
    scores = scores_of(form.validate(answers(q3="satisfied", q4="fairly", q5="unsatisfied", q7=10)), form)
    assert scores["q3"] == 1.0
    assert scores["q4"] == pytest.approx(0.8)
    assert scores["q5"] == 0.0
    assert scores["q7"] == 1.0  # 10 on a 1–10 scale
    assert scores_of(form.validate(answers(q7=1)), form)["q7"] == 0.0
    assert scores["age"] is None and scores["q9"] is None


def test_dont_know_is_left_out_unless_the_question_counts_it(world):
    q = questionnaire(world)
    assert (
        scores_of(compile_questionnaire(q).validate(answers(q3="unsure")), compile_questionnaire(q))["q3"]
        is None
    )
    question = q.questions.get(name="q3")
    services.update_question(question, {"count_unsure": True}, {}, world.office)
    q.refresh_from_db()
    form = compile_questionnaire(q)
    assert scores_of(form.validate(answers(q3="unsure")), form)["q3"] == 0.0


def test_it_names_every_missing_required_answer(form):
    with pytest.raises(SubmissionInvalid) as caught:
        form.validate(answers(q3=None, q7=None))
    assert set(caught.value.errors) == {"q3", "q7"}
    assert "required" in caught.value.errors["q3"]


def test_optional_questions_may_be_left_out(form):
    outcome = form.validate(answers(q8=None, q9=None))
    assert len(outcome.rows) == 10


def test_an_age_outside_18_to_65_ends_the_interview(form):
    outcome = form.validate({"age": 70})
    assert outcome.screened_out
    assert outcome.screened_out_by == form.by_name["age"].id
    assert form.validate({"age": 17}).screened_out
    assert not form.validate(answers(age=18)).screened_out
    assert not form.validate(answers(age=65)).screened_out


def test_living_here_less_than_six_months_ends_the_interview(form):
    outcome = form.validate({"age": 40, "residence": "no"})
    assert outcome.screened_out and outcome.screened_out_by == form.by_name["residence"].id


def test_answers_after_the_interview_ended_are_refused_with_a_clear_message(form):
    with pytest.raises(SubmissionInvalid) as caught:
        form.validate(answers(age=70))
    errors = caught.value.errors
    assert "age" not in errors
    assert "q3" in errors and "ended at question" in errors["q3"]


def test_a_screened_out_interview_needs_no_later_answers(form):
    assert form.validate({"age": 80}).rows[0].number == 80


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"q3": "very"}, "q3"),
        ({"q7": 11}, "q7"),
        ({"q7": "eight"}, "q7"),
        ({"q8": ["tv", "radio"]}, "q8"),
        ({"q3": ["satisfied", "fairly"]}, "q3"),
        ({"age": "thirty"}, "age"),
        ({"q99": "x"}, "q99"),
    ],
)
def test_it_refuses_answers_the_questionnaire_does_not_allow(form, changes, name):
    with pytest.raises(SubmissionInvalid) as caught:
        form.validate(answers(**changes))
    assert name in caught.value.errors


def test_the_compiled_form_follows_a_change_of_option_values(world):
    q = questionnaire(world)
    before = compile_questionnaire(q)
    question = Question.objects.get(questionnaire=q, name="q4")
    fairly = Option.objects.get(question=question, name="fairly")
    services.update_question(question, {}, {fairly.pk: 1}, world.office)
    q.refresh_from_db()
    after = compile_questionnaire(q)
    assert after is not before
    assert scores_of(after.validate(answers(q4="fairly")), after)["q4"] == 1.0
