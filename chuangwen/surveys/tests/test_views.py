import io
import re

import pytest
import xlsxwriter
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.core.attention import gather
from chuangwen.core.excel import read_workbook
from chuangwen.surveys.models import (
    Assignment,
    Option,
    Questionnaire,
    Quota,
    Response,
    ResponseStatus,
    RoundMode,
)
from chuangwen.surveys.tests.factories import GOOD, key, questionnaire, respond, round_of
from chuangwen.surveys.xlsform import parse_xlsform


def form_data(unit, **changes):
    data = {"unit_id": unit.pk, "idempotency_key": key()}
    for name, value in {**GOOD, **changes}.items():
        if value is not None:
            data[f"q_{name}"] = value
    return data


def test_the_office_creates_a_questionnaire_from_the_standard_template(world):
    client = world.client("office")
    response = client.post(
        reverse("surveys:questionnaire_new"),
        {
            "campaign": world.campaign.pk,
            "name": "市民问卷",
            "audience": "citizen",
            "threshold": "0.8",
            "template": "citizen",
        },
    )
    q = Questionnaire.objects.get(name="市民问卷")
    assert response.status_code == 302 and response.url == reverse("surveys:questionnaire", args=[q.pk])
    assert q.questions.count() == 12 and q.bands.count() == 3
    assert AuditEntry.objects.filter(action="surveys.questionnaire.create").exists()


def test_an_xlsform_upload_is_a_dry_run_until_committed(world):
    q = questionnaire(world, status="draft")
    client = world.client("office")
    exported = client.get(reverse("surveys:questionnaire_export", args=[q.pk])).content
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("survey").write_row(0, 0, ["type", "name", "label"])
    book.worksheets()[0].write_row(1, 0, ["text", "only", "唯一的问题"])
    book.close()
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "form.xlsx"
    page = client.post(reverse("surveys:questionnaire_import", args=[q.pk]), {"file": upload})
    assert page.status_code == 200 and "唯一的问题" in page.content.decode()
    assert q.questions.count() == 12
    upload.seek(0)
    done = client.post(reverse("surveys:questionnaire_import", args=[q.pk]), {"file": upload, "commit": "on"})
    assert done.status_code == 302
    assert list(q.questions.values_list("name", flat=True)) == ["only"]
    assert parse_xlsform(exported).ok


def test_a_broken_upload_shows_its_errors_and_changes_nothing(world):
    q = questionnaire(world, status="draft")
    upload = io.BytesIO(b"not a spreadsheet")
    upload.name = "form.xlsx"
    page = world.client("office").post(
        reverse("surveys:questionnaire_import", args=[q.pk]), {"file": upload, "commit": "on"}
    )
    assert page.status_code == 200 and "import-errors" in page.content.decode()
    assert q.questions.count() == 12


def test_the_office_sets_the_value_of_fairly_satisfied(world):
    q = questionnaire(world)
    question = q.questions.get(name="q3")
    fairly = Option.objects.get(question=question, name="fairly")
    data = {"label": question.label, "measure": "satisfaction", "indicator_code": "9.2.1", "required": "on"}
    data.update({f"option_{o.pk}": o.value if o.value is not None else "" for o in question.options.all()})
    data[f"option_{fairly.pk}"] = "1"
    response = world.client("office").post(reverse("surveys:question_edit", args=[question.pk]), data)
    assert response.status_code == 302
    fairly.refresh_from_db()
    assert fairly.value == 1


def test_the_office_changes_grade_bands(world):
    q = questionnaire(world)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-grade": "达标", "form-0-lower": "0.85",
            "form-1-grade": "不达标", "form-1-lower": ""}  # fmt: skip
    response = world.client("office").post(reverse("surveys:bands", args=[q.pk]), data)
    assert response.status_code == 302
    assert sorted(q.bands.values_list("grade", flat=True)) == ["不达标", "达标"]


def test_the_office_plans_quotas_for_every_community_and_assigns_an_enumerator(world):
    round_ = round_of(questionnaire(world))
    client = world.client("office")
    response = client.post(
        reverse("surveys:quotas", args=[round_.pk]),
        {"action": "plan", "parent": world.district.pk, "kind": "community", "per_area": 20, "split_sex": "on",
         "age_bands": "18-40, 41-65"},
    )  # fmt: skip
    assert response.status_code == 302
    quotas = Quota.objects.filter(round=round_)
    assert quotas.count() == 2 * 2 * 2 and sum(q.target for q in quotas) == 40
    client.post(
        reverse("surveys:assignments", args=[round_.pk]),
        {"enumerator": world.enumerator_a.pk, "unit": world.community_b.pk},
    )
    assignment = Assignment.objects.get(round=round_)
    assert assignment.unit == world.community_b
    client.post(reverse("surveys:assignment_delete", args=[assignment.pk]))
    assert not Assignment.objects.exists()


def test_the_enumerators_phone_form_lists_only_their_areas_and_uses_no_inline_script(world):
    round_ = round_of(questionnaire(world))
    page = world.client("enumerator_a").get(reverse("surveys:collect", args=[round_.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert world.community_a.name in html and world.community_b.name not in html
    assert "js/surveys.js" in html and 'data-endpoint="/api/surveys/rounds/' in html
    # JSON data islands (type="application/json") are data, not scripts; the CSP never runs them.
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert 'data-screening="1" data-min="18" data-max="65"' in html


def test_the_phone_form_works_without_javascript_and_a_resubmit_stores_once(world):
    round_ = round_of(questionnaire(world))
    client = world.client("enumerator_a")
    data = form_data(world.community_a)
    assert client.post(reverse("surveys:collect", args=[round_.pk]), data).status_code == 302
    assert client.post(reverse("surveys:collect", args=[round_.pk]), data).status_code == 302
    assert Response.objects.filter(round=round_).count() == 1


def test_the_phone_form_shows_what_is_missing(world):
    round_ = round_of(questionnaire(world))
    page = world.client("enumerator_a").post(
        reverse("surveys:collect", args=[round_.pk]), form_data(world.community_a, q3=None)
    )
    assert page.status_code == 400
    assert "This question is required." in page.content.decode()
    assert not Response.objects.exists()


@pytest.fixture
def public(world):
    return round_of(questionnaire(world), RoundMode.PUBLIC, name="网络问卷", rate_limit_per_hour=3)


def test_a_citizen_answers_once_through_the_public_link(world, public):
    client = world.client("anonymous")
    url = reverse("surveys_public:form", args=[public.public_token])
    page = client.get(url)
    assert page.status_code == 200 and "cw_survey_device" in page.cookies
    sent = client.post(url, {**form_data(world.community_a), "phone": "13912345678"})
    assert sent.status_code == 302 and sent.url == reverse(
        "surveys_public:thanks", args=[public.public_token]
    )
    assert client.get(url).status_code == 302  # this phone answered: straight to the thanks page
    other = world.client("anonymous")
    other.post(url, {**form_data(world.community_b), "phone": "13912345678"})
    assert Response.objects.filter(round=public).count() == 1


def test_the_public_link_is_rate_limited_per_network_address(world, public):
    url = reverse("surveys_public:form", args=[public.public_token])
    statuses = []
    for i in range(4):
        client = world.client("anonymous")
        statuses.append(
            client.post(url, {**form_data(world.community_a), "phone": f"1391234567{i}"}).status_code
        )
    assert statuses == [302, 302, 302, 429]
    assert Response.objects.filter(round=public).count() == 3


def test_the_public_qr_code_is_an_svg_of_the_link(world, public):
    response = world.client("anonymous").get(reverse("surveys_public:qr", args=[public.public_token]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


@pytest.fixture
def collected(world):
    q = questionnaire(world)
    round_ = round_of(q)
    for _ in range(3):
        respond(round_, world.community_a, world.office, q3="unsatisfied", q4="unsatisfied", q5="unsatisfied")
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
    return round_


def test_the_rate_page_draws_a_chart_from_a_data_island_and_flags_weak_areas(world, collected):
    page = world.client("office").get(
        reverse("surveys:rates", args=[collected.pk]) + "?by=area&measure=satisfaction"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert '<script id="rates-chart" type="application/json">' in html
    assert "vendor/echarts/echarts.min.js" in html and "js/survey-charts.js" in html
    assert "Areas below the threshold" in html and world.community_a.name in html


@pytest.mark.parametrize("view", ["question", "indicator", "area", "unit"])
def test_the_sibling_liaison_sees_no_area_of_street_a(world, collected, view):
    html = (
        world.client("liaison_b")
        .get(reverse("surveys:rates", args=[collected.pk]) + f"?by={view}")
        .content.decode()
    )
    assert world.community_a.name not in html and world.street_a.name not in html


def test_the_responses_export_holds_one_row_per_response_in_scope(world, collected):
    office = read_workbook(
        world.client("office").get(reverse("surveys:responses_export", args=[collected.pk])).content
    )
    assert len(office[0].rows) == 1 + 4
    assert "q3 您对所在社区（小区）环境卫生状况是否满意？" in office[0].rows[0]  # read back as written
    sibling = read_workbook(
        world.client("liaison_b").get(reverse("surveys:responses_export", args=[collected.pk])).content
    )
    assert len(sibling[0].rows) == 1 + 1


def test_the_rates_export_has_a_sheet_per_table(world, collected):
    sheets = read_workbook(
        world.client("office").get(reverse("surveys:rates_export", args=[collected.pk])).content
    )
    names = [s.name for s in sheets]
    assert names[:2] == ["Questions", "Indicators"] and any(n.startswith("Areas") for n in names)


def test_the_office_voids_a_response(world, collected):
    response = collected.responses.first()
    world.client("office").post(reverse("surveys:response_void", args=[response.pk]), {"reason": "重复"})
    response.refresh_from_db()
    assert response.status == ResponseStatus.VOID


def test_the_trend_page_draws_its_chart(world, collected):
    html = world.client("leader").get(reverse("surveys:trends")).content.decode()
    assert '<script id="trend-chart" type="application/json">' in html


def test_attention_tells_the_enumerator_what_is_left_and_the_office_which_areas_are_weak(world, collected):
    Quota.objects.create(round=collected, unit=world.community_a, target=10)
    enumerator = {a.label: a.count for a in gather(world.enumerator_a)}
    assert enumerator["Interviews still to collect"] == 7
    office = [a for a in gather(world.office) if "below the satisfaction threshold" in a.label]
    assert office and office[0].count == 1
    assert not [a for a in gather(world.liaison_b) if "below the satisfaction threshold" in a.label]


def test_the_enumerators_own_page_shows_what_is_left(world, collected):
    Quota.objects.create(round=collected, unit=world.community_a, target=10)
    html = world.client("enumerator_a").get(reverse("surveys:mine")).content.decode()
    assert "7" in html and world.community_a.name in html


def test_an_enumerator_sees_only_the_interviews_they_did(world, collected):
    own = respond(collected, world.community_a, world.enumerator_a)
    other = collected.responses.filter(unit=world.community_a).exclude(pk=own.pk).first()
    client = world.client("enumerator_a")
    assert client.get(reverse("surveys:response", args=[own.pk])).status_code == 200
    assert client.get(reverse("surveys:response", args=[other.pk])).status_code == 404
    listed = client.get(reverse("surveys:responses")).context["page"].object_list
    assert [r.pk for r in listed] == [own.pk]


def test_a_public_form_with_a_made_up_area_asks_again(world, public):
    url = reverse("surveys_public:form", args=[public.public_token])
    page = world.client("anonymous").post(
        url, {**form_data(world.community_a), "unit_id": "abc", "phone": "13912345678"}
    )
    assert page.status_code == 400 and not Response.objects.exists()
