"""ODK form logic on the server (issue 22): the XLSForm's relevance, constraints with their
messages, required rules, calculations, cascading selects and the screening column decide what
is stored, the way ODK Collect and Enketo decide it on the phone."""

import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xlsxwriter
from pyxform.builder import create_survey_element_from_dict
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from chuangwen.surveys import logic, services
from chuangwen.surveys.compiled import SubmissionInvalid
from chuangwen.surveys.models import Answer, Questionnaire, ResponseStatus
from chuangwen.surveys.submission import submit_response
from chuangwen.surveys.tests.factories import key, round_of
from chuangwen.surveys.xlsform import parse_xlsform
from chuangwen.surveys.xlsform_write import design_of, write_xlsform

CASES = json.loads((Path(__file__).parent / "xpath_cases.json").read_text())["cases"]

SURVEY = [
    ["type", "name", "label::中文 (zh)", "label::English (en)", "hint::中文 (zh)", "required",
     "required_message::中文 (zh)", "relevant", "constraint", "constraint_message::中文 (zh)",
     "calculation", "choice_filter", "appearance", "screening", "measure", "indicator"],
    ["integer", "age", "您的年龄？", "Age?", "周岁", "yes", "", "", ". >= 0 and . < 120", "年龄应在0到119之间", "", "",
     "", ". >= 18", "", ""],
    ["select_one yn", "lived", "在本区住满半年了吗？", "Lived here 6 months?", "", "yes", "", "", "", "", "", "", "", "", "", ""],
    ["begin group", "main", "满意度", "Satisfaction", "", "", "", "${lived} = 'yes'", "", "", "", "", "field-list", "", "", ""],
    ["select_one sat", "q1", "您对环境卫生满意吗？", "Satisfied with sanitation?", "", "yes", "", "", "", "", "", "", "", "",
     "satisfaction", "9.2.1"],
    ["text", "why", "不满意的原因", "Why not?", "", "${q1} = 'no'", "请写明原因", "${q1} = 'no'", "", "", "", "", "", "", "", ""],
    ["end group", "main", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["select_one district", "district", "区", "District", "", "yes", "", "", "", "", "", "", "", "", "", ""],
    ["select_one street", "street", "街道", "Street", "", "yes", "", "", "", "", "", "district = ${district}", "", "", "", ""],
    ["calculate", "senior", "", "", "", "", "", "", "", "", "if(${age} >= 60, 'yes', 'no')", "", "", "", "", ""],
]  # fmt: skip
CHOICES = [
    ["list_name", "name", "label::中文 (zh)", "label::English (en)", "score", "district"],
    ["yn", "yes", "是", "Yes", "", ""],
    ["yn", "no", "否", "No", "", ""],
    ["sat", "yes", "满意", "Satisfied", "1", ""],
    ["sat", "no", "不满意", "Not satisfied", "0", ""],
    ["district", "east", "东区", "East", "", ""],
    ["district", "west", "西区", "West", "", ""],
    ["street", "e1", "东一街道", "East 1", "", "east"],
    ["street", "w1", "西一街道", "West 1", "", "west"],
]  # fmt: skip


def workbook(sheets: dict[str, list[list]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


FORM = workbook(
    {
        "survey": SURVEY,
        "choices": CHOICES,
        "settings": [
            ["form_title", "form_id", "version", "default_language"],
            ["环境问卷", "env", "3", "中文 (zh)"],
        ],
    }
)


@pytest.fixture
def form_round(world):
    result = parse_xlsform(FORM)
    assert result.ok, result.errors
    q = services.create_questionnaire(
        world.office, world.campaign, "环境问卷", "citizen", design=result.design
    )
    services.set_questionnaire_status(q, "open", world.office)
    return round_of(Questionnaire.objects.get(pk=q.pk))


def submit(round_, world, **answers):
    return submit_response(
        round_,
        unit=world.community_a,
        answers=answers,
        idempotency_key=key(),
        channel="enumerator",
        actor=world.office,
    )[0]


BASE = {"age": 30, "lived": "yes", "q1": "yes", "district": "east", "street": "e1"}


@pytest.mark.parametrize("case", CASES, ids=[c["expr"] for c in CASES])
def test_the_server_evaluator_agrees_with_the_shared_cases(case):
    root = ET.Element("data")
    for name, value in case["values"].items():
        ET.SubElement(root, name).text = value
    paths = {name: f"/data/{name}" for name in case["values"]}
    item = root.find(case["context"]) if case.get("context") else None
    # As the server runs them: ${name} as a variable, on one shared context (and as paths).
    inst = logic.Instance(root, dict(case["values"]))
    for xpath in (
        logic.to_server_xpath(case["expr"], paths, set(paths)),
        logic.to_xpath(case["expr"], paths),
    ):
        if case.get("kind") == "string":
            assert logic.to_string(inst.value(xpath, item)) == case["expect"]
        else:
            assert inst.truth(xpath, item) is case["expect"]


def test_a_skipped_group_stores_none_of_its_answers(form_round, world):
    response = submit(form_round, world, **{**BASE, "lived": "no", "q1": "no", "why": "脏"})
    assert response.status == ResponseStatus.COMPLETE
    stored = set(Answer.objects.filter(response=response).values_list("question__name", flat=True))
    assert "q1" not in stored and "why" not in stored  # absent, not blank
    assert {"age", "lived", "district", "street", "senior"} <= stored


def test_required_when_shown_is_required_only_when_shown(form_round, world):
    with pytest.raises(SubmissionInvalid) as refused:
        submit(form_round, world, **{**BASE, "q1": "no"})
    assert refused.value.errors == {"why": "请写明原因"}
    assert submit(form_round, world, **BASE).status == ResponseStatus.COMPLETE


def test_a_constraint_refuses_with_its_message_and_does_not_screen(form_round, world):
    with pytest.raises(SubmissionInvalid) as refused:
        submit(form_round, world, **{**BASE, "age": 130})
    assert refused.value.errors == {"age": "年龄应在0到119之间"}


def test_the_screening_column_ends_the_interview(form_round, world):
    response = submit(form_round, world, age=16)
    assert response.status == ResponseStatus.SCREENED_OUT
    assert response.screened_out_by.name == "age"


def test_a_cascading_select_refuses_an_impossible_combination(form_round, world):
    with pytest.raises(SubmissionInvalid) as refused:
        submit(form_round, world, **{**BASE, "street": "w1"})
    assert "street" in refused.value.errors


def test_a_calculation_is_computed_and_stored(form_round, world):
    response = submit(form_round, world, **{**BASE, "age": 70})
    assert Answer.objects.get(response=response, question__name="senior").text == "yes"


def test_labels_in_every_language_and_the_settings_are_kept(form_round):
    q = form_round.questionnaire
    age = q.questions.get(name="age")
    assert age.label == "您的年龄？"  # full-width punctuation as written
    assert age.logic["labels"] == {"中文 (zh)": "您的年龄？", "English (en)": "Age?"}
    assert (q.xlsform["form_id"], q.xlsform["version"]) == ("env", "3")
    street = q.questions.get(name="street")
    assert street.logic["choice_filter"] == "district = ${district}"
    assert street.options.get(name="w1").extra["district"] == "west"


def test_the_export_is_valid_xlsform_and_reads_back_the_same(form_round):
    original = design_of(form_round.questionnaire)
    data = write_xlsform(original)
    form = workbook_to_json(get_xlsform(io.BytesIO(data), file_type=".xlsx"), warnings=[])
    assert "<h:html" in create_survey_element_from_dict(form).to_xml(validate=False)
    back = parse_xlsform(data)
    assert back.ok, back.errors
    for mine, theirs in zip(original.questions, back.design.questions, strict=True):
        assert (mine.name, mine.kind, mine.label, mine.required, mine.section) == (
            theirs.name, theirs.kind, theirs.label, theirs.required, theirs.section
        )  # fmt: skip
        assert mine.logic == theirs.logic
        assert [(o.name, o.label, o.value, o.extra) for o in mine.options] == [
            (o.name, o.label, o.value, o.extra) for o in theirs.options
        ]
    assert back.design.xlsform == original.xlsform


def test_the_api_gives_phone_clients_the_logic(form_round, world):
    data = (
        world.client("enumerator_a").get(f"/api/surveys/questionnaires/{form_round.questionnaire_id}").json()
    )
    why = next(q for q in data["questions"] if q["name"] == "why")
    assert why["logic"]["relevant"] == "${q1} = 'no'" and why["logic"]["path"] == ["main"]
    assert why["logic"]["required"] == "${q1} = 'no'"
