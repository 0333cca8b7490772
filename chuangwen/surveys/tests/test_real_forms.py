"""Real XLSForms from pyxform's own test fixtures (see forms/SOURCES.md): each one imports, or
is refused with the feature named (never imported with something dropped)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from chuangwen.surveys.xlsform import parse_xlsform

FORMS = Path(__file__).parent / "forms" / "pyxform"
EXPECTED = {
    "allow_comment_rows_test.xls": "ok",
    "attribute_columns_test.xlsx": "refused",
    "bad_calc.xlsx": "refused",
    "calculate.xls": "ok",
    "cascading_select_test_equivalent.xls": "ok",
    "case_insensitivity.xls": "refused",
    "case_insensitivity.xlsx": "refused",
    "choice_filter_test.xlsx": "refused",
    "choice_name_as_type.xls": "refused",
    "choice_name_same_as_select_name.xls": "ok",
    "default_time_demo.xls": "ok",
    "extra_columns.xlsx": "ok",
    "extra_sheet_names.xlsx": "ok",
    "field-list.xlsx": "ok",
    "flat_xlsform_test.xlsx": "refused",
    "gps.xls": "ok",
    "group.xls": "refused",
    "group.xlsx": "refused",
    "hidden.xls": "refused",
    "include.xls": "refused",
    "include.xlsx": "refused",
    "include_json.xls": "refused",
    "include_json.xlsx": "refused",
    "loop.xls": "refused",
    "loop.xlsx": "refused",
    "or_other.xlsx": "ok",
    "pull_data.xlsx": "refused",
    "repeat_date_test.xls": "refused",
    "simple_loop.xls": "refused",
    "sms_info.xls": "refused",
    "specify_other.xls": "ok",
    "specify_other.xlsx": "ok",
    "style_settings.xls": "refused",
    "survey_no_name.xlsx": "refused",
    "table-list.xls": "refused",
    "text_and_integer.xls": "ok",
    "text_and_integer.xlsx": "ok",
    "tutorial.xls": "refused",
    "unknown_question_type.xls": "refused",
    "widgets.xls": "refused",
    "xlsform_spec_test.xlsx": "refused",
    "xml_escaping.xls": "ok",
    "yes_or_no_question.xls": "ok",
    "yes_or_no_question.xlsx": "ok",
}


def test_every_fixture_is_listed():
    assert sorted(p.name for p in FORMS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_form_imports_or_is_refused_feature_by_feature(name):
    result = parse_xlsform((FORMS / name).read_bytes())
    assert result.ok == (EXPECTED[name] == "ok"), result.errors
    if not result.ok:
        assert all(e.strip() for e in result.errors)


def test_the_command_lists_every_question_with_its_logic(capsys):
    call_command("import_questionnaire", str(FORMS / "or_other.xlsx"), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True
    other = next(q for q in out["questions"] if q["name"].endswith("_other"))
    assert "selected(" in other["relevant"] and other["type"] == "text"
