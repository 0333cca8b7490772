import io
from decimal import Decimal

import pytest
import xlsxwriter

from chuangwen.core.errors import DomainError
from chuangwen.surveys import services
from chuangwen.surveys.models import Audience, Measure, Question, QuestionKind, Questionnaire
from chuangwen.surveys.tests.factories import questionnaire, respond, round_of
from chuangwen.surveys.xlsform import parse_xlsform
from chuangwen.surveys.xlsform_write import design_of, write_xlsform


def workbook(sheets: dict[str, list[list]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


SURVEY_HEADER = ["type", "name", "label", "required", "constraint", "measure", "indicator"]
CHOICES = [
    ["list_name", "name", "label", "value"],
    ["sat", "satisfied", "满意", 1],
    ["sat", "fairly", "基本满意", 0.8],
    ["sat", "unsatisfied", "不满意", 0],
    ["sat", "unsure", "说不清", ""],
    ["live", "yes", "是", ""],
    ["live", "no", "否", ""],
]


def test_an_exported_questionnaire_reads_back_the_same(world):
    q = questionnaire(world)
    original = design_of(q)
    result = parse_xlsform(write_xlsform(original))
    assert result.ok, result.errors
    back = result.design
    assert [s.name for s in back.sections] == [s.name for s in original.sections]
    assert back.title == original.title and back.audience == original.audience
    assert back.threshold == original.threshold
    assert [(b.grade, b.lower, b.measure) for b in back.bands] == [
        (b.grade, b.lower, b.measure) for b in original.bands
    ]
    fields = ("name", "label", "kind", "section", "required", "measure", "indicator_code", "is_screening",
              "screen_min", "screen_max", "scale_min", "scale_max", "count_unsure")  # fmt: skip
    for mine, theirs in zip(original.questions, back.questions, strict=True):
        # Read by pyxform: full-width punctuation stays as written.
        assert mine.label == theirs.label
        assert {f: getattr(mine, f) for f in fields if f != "label"} == {
            f: getattr(theirs, f) for f in fields if f != "label"
        }
        assert [(o.name, o.label, o.value, o.ends_interview) for o in mine.options] == [
            (o.name, o.label, o.value, o.ends_interview) for o in theirs.options
        ]


def test_an_import_replaces_the_design_of_a_draft(world):
    q = questionnaire(world, status="draft")
    data = workbook(
        {
            "survey": [
                SURVEY_HEADER,
                ["integer", "age", "年龄", "yes", ". >= 18 and . <= 65", "", ""],
                ["begin group", "main", "测评"],
                ["select_one sat", "q1", "环境卫生满意吗", "yes", "", "满意率", "9.2.1"],
                ["yes_no", "q2", "知道创文吗", "yes", "", "awareness", "1.1.1"],
                ["rating 0 10", "q3", "打分", "no", "", "evaluation", ""],
                ["range", "q4", "再打分", "no", "", "evaluation", ""],
                ["end group", "main"],
            ],
            "choices": CHOICES,
            "settings": [["form_title", "audience", "threshold"], ["教师问卷", "教师", "85%"]],
        }
    )
    result = parse_xlsform(data)
    assert result.ok, result.errors
    services.replace_design(q, result.design, world.office)
    q.refresh_from_db()
    assert q.name == "教师问卷" and q.audience == Audience.TEACHER and q.threshold == Decimal("0.85")
    assert list(q.questions.values_list("name", flat=True)) == ["age", "q1", "q2", "q3", "q4"]
    age = q.questions.get(name="age")
    # A constraint is a constraint (ODK asks again), never a screening rule.
    assert (age.is_screening, age.logic["constraint"]) == (False, ". >= 18 and . <= 65")
    q1 = q.questions.get(name="q1")
    assert q1.measure == Measure.SATISFACTION and q1.section.title == "测评"
    assert list(q1.options.values_list("value", flat=True)) == [
        Decimal("1"),
        Decimal("0.8"),
        Decimal("0"),
        None,
    ]
    assert q.questions.get(name="q2").options.count() == 2
    q3 = q.questions.get(name="q3")
    assert (q3.kind, q3.scale_min, q3.scale_max, q3.required) == (QuestionKind.RATING, 0, 10, False)


def test_screening_is_its_own_column_and_a_choice_constraint_is_not_screening():
    data = workbook(
        {
            "survey": [
                [*SURVEY_HEADER, "screening"],
                ["select_one live", "residence", "住满6个月吗", "yes", ". != 'no'", "", "", ""],
                ["integer", "age", "年龄", "yes", ". < 120", "", "", ". >= 18 and . <= 65"],
            ],
            "choices": CHOICES,
        }
    )
    result = parse_xlsform(data)
    assert result.ok, result.errors
    residence, age = result.design.questions
    assert not residence.is_screening and not any(o.ends_interview for o in residence.options)
    assert residence.logic["constraint"] == ". != 'no'"
    assert age.is_screening and age.logic["screening"] == ". >= 18 and . <= 65"
    assert (age.screen_min, age.screen_max) == (18, 65)


def test_a_workbook_in_another_dialect_is_refused_not_guessed():
    data = workbook({"问卷": [["题型", "编号", "题目"], ["单选 sat", "q1", "满意吗"]]})
    result = parse_xlsform(data)
    assert not result.ok and "survey" in result.errors[0]


def test_every_problem_is_reported_with_its_row_and_column():
    data = workbook(
        {
            "survey": [
                [*SURVEY_HEADER, "relevant"],
                ["image", "q1", "甲", "yes", "", "", "", ""],
                ["integer", "q2", "乙", "yes", "", "", "", "pulldata('fruits', 'a', 'b', 'c') > 1"],
                ["text", "q3", "丙", "no", "", "happiness", "", ""],
                ["begin repeat", "roster", "家庭成员", "", "", "", "", ""],
                ["text", "member", "姓名", "", "", "", "", ""],
                ["end repeat", "", "", "", "", "", "", ""],
                ["select_one x", "q4", "丁", "no", "", "", "", ""],
            ],
            "choices": [
                ["list_name", "name", "label", "score"],
                ["x", "a", "A", "150"],
                ["x", "b", "B", "0"],
            ],
        }
    )
    result = parse_xlsform(data)
    errors = "\n".join(result.errors)
    assert not result.ok
    assert "survey, row 2, column A" in errors and "image" in errors
    assert "survey, row 3, column H" in errors and "pulldata()" in errors
    assert "survey, row 4, column F" in errors and "happiness" in errors
    assert "survey, row 5, column A" in errors and "begin repeat" in errors
    assert "choices, row 2, column D" in errors  # a score is a rate from 0 to 1


def test_a_form_that_pyxform_refuses_is_refused_with_its_reason():
    data = workbook(
        {
            "survey": [SURVEY_HEADER, ["select_one nolist", "q1", "甲", "yes", "", "", ""]],
            "choices": [["list_name", "name", "label"], ["x", "a", "A"]],
        }
    )
    result = parse_xlsform(data)
    assert not result.ok and "nolist" in result.errors[0] and "pyxform" in result.errors[0]


def test_a_file_that_is_not_excel_is_refused_clearly():
    result = parse_xlsform(b"name,label\nq1,hello\n")
    assert not result.ok and "not an Excel file" in result.errors[0]


def test_a_workbook_without_a_survey_sheet_is_refused():
    result = parse_xlsform(workbook({"Sheet1": [["a", "b"]]}))
    assert not result.ok and "survey" in result.errors[0]


def test_the_design_cannot_be_replaced_once_responses_exist(world):
    q = questionnaire(world)
    respond(round_of(q), world.community_a, world.office)
    services.set_questionnaire_status(q, "closed", world.office)
    design = design_of(q)
    with pytest.raises(DomainError):
        services.replace_design(Questionnaire.objects.get(pk=q.pk), design, world.office)
    with pytest.raises(DomainError):
        services.set_questionnaire_status(Questionnaire.objects.get(pk=q.pk), "draft", world.office)
    assert Question.objects.filter(questionnaire=q).count() == 12


def test_an_imported_indicator_code_links_to_the_campaigns_indicator(world):
    from chuangwen.indicators.models import EvaluationSystem, Indicator

    system = EvaluationSystem.objects.create(name="测评体系", campaign=world.campaign)
    indicator = Indicator.objects.create(system=system, level=3, code="9.2.1", name="环境卫生")
    q = questionnaire(world, status="draft")
    services.replace_design(q, design_of(q), world.office)
    assert Question.objects.get(questionnaire=q, name="q3").indicator == indicator
    assert Question.objects.get(questionnaire=q, name="q1").indicator is None


def test_single_colon_languages_bind_columns_and_an_empty_settings_sheet_are_read():
    # pyxform reads ":" as the separator when no header uses "::" (then all must use "::").
    data = workbook(
        {
            "survey": [
                ["type", "name", "label:English", "label:Tetun", "bind:relevant"],
                ["integer", "age", "Age", "Idade", ""],
                ["text", "why", "Why？", "Tanba", "${age} > 3"],
            ],
            "settings": [[]],
        }
    )
    result = parse_xlsform(data)
    assert result.ok, result.errors
    why = result.design.questions[1]
    assert why.logic["relevant"] == "${age} > 3"
    assert why.logic["labels"] == {"English": "Why？", "Tetun": "Tanba"}
    assert result.design.xlsform["languages"] == ["English", "Tetun"]


def test_labels_longer_than_500_characters_are_kept_whole():
    label = "您" * 800
    result = parse_xlsform(workbook({"survey": [["type", "name", "label"], ["text", "long", label]]}))
    assert result.ok, result.errors
    assert result.design.questions[0].label == label
