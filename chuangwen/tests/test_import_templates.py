"""Every import offers its template, and the template as downloaded imports as it is."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from chuangwen.core.import_template import CHOICES_SHEET, INSTRUCTIONS_SHEET
from chuangwen.indicators.import_template import indicator_template
from chuangwen.indicators.importing import read_indicator_table
from chuangwen.org.import_template import unit_template
from chuangwen.org.importing import import_units
from chuangwen.points import checklists_io
from chuangwen.points import importing as point_importing
from chuangwen.points.import_template import checklist_template, point_template
from chuangwen.points.models import PointType
from chuangwen.problems import imports as hotline_imports
from chuangwen.problems.import_template import hotline_template
from chuangwen.problems.models import ProblemCategory
from chuangwen.problems.seed import load_categories
from chuangwen.tasks.import_template import task_template
from chuangwen.tasks.importing import read_task_table

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "imports"


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _point_type() -> PointType:
    return PointType.objects.order_by("code").first() or PointType.objects.create(
        code="ZCGD", name="主次干道"
    )


def test_a_template_has_its_sheets_an_example_row_instructions_and_hidden_choice_lists():
    book = _book(unit_template())
    assert book.sheetnames == ["单位", "人员", INSTRUCTIONS_SHEET, CHOICES_SHEET]
    assert book[CHOICES_SHEET].sheet_state == "hidden"
    units = book["单位"]
    headers = [c.value for c in units[1]]
    assert headers[:3] == ["单位编码", "单位名称", "简称"]
    assert units.max_row == 3, "the header and the example rows"
    kind_col = headers.index("类型") + 1
    [validation] = units.data_validations.dataValidation
    assert validation.type == "list" and f"'{CHOICES_SHEET}'!" in validation.formula1
    assert units.cell(row=2, column=kind_col).coordinate in validation.sqref
    choices = [c.value for c in book[CHOICES_SHEET]["A"]][1:]
    assert {"市", "区/县", "街道", "社区", "村", "部门/局"} <= set(choices)
    rows = [row[:2] for row in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True)]
    assert rows.index(("【单位】", None)) < rows.index((None, "上级单位")) < rows.index(("【人员】", None))
    assert rows.index(("【人员】", None)) < rows.index((None, "所属单位"))


def test_the_units_template_imports_as_it_is():
    result = import_units(unit_template())
    assert result.ok, result.errors
    assert (result.units.new, result.people.new) == (2, 1)


def test_the_indicators_template_imports_as_it_is():
    table = read_indicator_table(indicator_template())
    assert table.ok, table.errors
    assert table.counts()["level3"] == 1 and table.counts()["negative_items"] == 1


def test_the_tasks_template_imports_into_the_campaign_as_it_is(world):
    table = read_task_table(task_template(world.campaign.root_unit.name, ""), world.campaign)
    assert table.ok, table.errors
    assert len(table.tasks) == 1


def test_the_points_template_lists_the_recorded_types_and_imports_as_it_is(world):
    _point_type()
    data = point_template(world.street_a.name)
    assert _point_type().name in [c.value for c in _book(data)[CHOICES_SHEET]["A"]]
    report = point_importing.import_points(data, world.office)
    assert report.ok, report.errors
    assert report.created == 1


def test_the_checklists_template_imports_as_it_is(world):
    report = checklists_io.import_templates(checklist_template(), world.office)
    assert report.ok, report.errors
    assert report.created == 2


def test_the_12345_template_lists_the_categories_and_imports_as_it_is(world):
    load_categories(ProblemCategory)
    result = hotline_imports.check(hotline_template(world.street_a.name))
    assert not result.errors, [str(e) for e in result.errors]
    assert len(result.rows) == 1


def test_the_callback_template_has_a_column_per_question_and_imports_as_it_is(world):
    from chuangwen.surveys import services
    from chuangwen.surveys.hotline import import_callbacks
    from chuangwen.surveys.import_template import callback_template
    from chuangwen.surveys.models import RoundMode
    from chuangwen.surveys.standard import hotline_questionnaire
    from chuangwen.surveys.tests.factories import round_of

    questionnaire = services.create_questionnaire(
        world.office, world.campaign, "12345回访", "citizen", design=hotline_questionnaire()
    )
    services.set_questionnaire_status(questionnaire, "open", world.office)
    questionnaire.refresh_from_db()
    round_ = round_of(questionnaire, RoundMode.HOTLINE, name="6月回访")
    data = callback_template(round_)
    headers = [c.value for c in _book(data)["12345回访"][1]]
    assert headers[:2] == ["工单编号", "所属社区"] and "满意度" in headers
    report = import_callbacks(round_, data, world.office)
    assert report.ok, report.errors
    assert len(report.rows) == 1
    page = world.client("office").get(reverse("surveys:hotline_import", kwargs={"pk": round_.pk}))
    assert reverse("surveys:hotline_import_template", kwargs={"pk": round_.pk}) in page.content.decode()


def test_the_questionnaire_template_is_an_xlsform_that_imports_as_it_is(world):
    from chuangwen.surveys.import_template import xlsform_template
    from chuangwen.surveys.xlsform import parse_xlsform

    data = xlsform_template()
    assert _book(data).sheetnames[:3] == ["survey", "choices", "settings"]
    result = parse_xlsform(data)
    assert result.ok, result.errors
    assert [q.name for q in result.design.questions] == ["age", "env"]


IMPORT_PAGES = [
    ("org:import", "org:import_template", "单位及人员导入模板.xlsx"),
    ("indicators:import", "indicators:import_template", "测评体系导入模板.xlsx"),
    ("tasks:import", "tasks:import_template", "任务分解表导入模板.xlsx"),
    ("points:import", "points:import_template", "点位导入模板.xlsx"),
    ("points:template_import", "points:checklist_import_template", "点位类型及测评标准导入模板.xlsx"),
    ("problems:hotline_import", "problems:hotline_import_template", "12345工单导入模板.xlsx"),
]


@pytest.mark.parametrize(("page", "template", "filename"), IMPORT_PAGES)
def test_each_import_page_links_its_template_and_the_office_downloads_it(world, page, template, filename):
    client = world.client("office")
    url = reverse(template)
    assert f'href="{url}"' in client.get(reverse(page)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert INSTRUCTIONS_SHEET in _book(response.content).sheetnames
    assert world.client("liaison_b").get(url).status_code == 403


def test_import_units_writes_its_template_with_the_template_option(tmp_path):
    out = io.StringIO()
    call_command("import_units", "--template", str(tmp_path / "units"), stdout=out)
    assert str(tmp_path / "units.xlsx") in out.getvalue()
    assert _book((tmp_path / "units.xlsx").read_bytes()).sheetnames[0] == "单位"


@pytest.mark.parametrize("command", ["import_indicators", "import_tasks"])
def test_the_other_import_commands_write_their_templates_too(world, tmp_path, command):
    call_command(command, "--template", str(tmp_path / "t.xlsx"), stdout=io.StringIO())
    assert INSTRUCTIONS_SHEET in _book((tmp_path / "t.xlsx").read_bytes()).sheetnames


@pytest.mark.parametrize(
    "kind", ["units", "indicators", "tasks", "points", "checklists", "hotline", "questionnaire"]
)
def test_import_template_writes_every_kind_and_each_has_a_docs_page(tmp_path, kind):
    call_command("import_template", kind, str(tmp_path / f"{kind}.xlsx"), stdout=io.StringIO())
    book = _book((tmp_path / f"{kind}.xlsx").read_bytes())
    assert INSTRUCTIONS_SHEET in book.sheetnames
    page = (DOCS / f"{kind}.md").read_text()
    headers = [
        c.value
        for name in book.sheetnames[: book.sheetnames.index(INSTRUCTIONS_SHEET)]
        for c in book[name][1]
    ]
    missing = [header for header in headers if f"| {header} |" not in page]
    assert not missing, f"docs/imports/{kind}.md lacks the columns {missing}"


def test_the_help_of_an_import_command_says_where_the_template_is():
    from chuangwen.org.management.commands.import_units import Command

    text = " ".join(Command().create_parser("chuangwen", "import_units").format_help().split())
    assert "--template FILE" in text and "docs/imports/units.md" in text
