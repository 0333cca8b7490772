import json

import pytest

from chuangwen.surveys.models import Response, RoundMode
from chuangwen.surveys.tests.factories import GOOD, answers, key, questionnaire, respond, round_of


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def round_(world):
    return round_of(questionnaire(world))


def test_an_enumerator_submits_and_a_retry_returns_the_same_response(world, round_):
    client = world.client("enumerator_a")
    url = f"/api/surveys/rounds/{round_.pk}/responses"
    payload = {"idempotency_key": key(), "unit_id": world.community_a.pk, "answers": GOOD}
    first = post(client, url, payload)
    again = post(client, url, payload)
    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json() == {**first.json(), "created": False}
    assert Response.objects.count() == 1


def test_a_submission_with_missing_answers_is_refused_with_each_problem(world, round_):
    payload = {"idempotency_key": key(), "unit_id": world.community_a.pk, "answers": answers(q3=None, q7=99)}
    response = post(world.client("enumerator_a"), f"/api/surveys/rounds/{round_.pk}/responses", payload)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"q3", "q7"}
    assert not Response.objects.exists()


def test_an_enumerator_cannot_submit_for_another_street(world, round_):
    payload = {"idempotency_key": key(), "unit_id": world.community_b.pk, "answers": GOOD}
    response = post(world.client("enumerator_a"), f"/api/surveys/rounds/{round_.pk}/responses", payload)
    assert response.status_code == 400 and "not assigned" in response.json()["detail"]


def test_the_questionnaire_is_served_with_its_questions_and_option_values(world, round_):
    data = world.client("enumerator_a").get(f"/api/surveys/questionnaires/{round_.questionnaire_id}").json()
    q3 = next(q for q in data["questions"] if q["name"] == "q3")
    assert [o["value"] for o in q3["options"]] == [1.0, 0.8, 0.0, None]
    age = next(q for q in data["questions"] if q["name"] == "age")
    assert (age["is_screening"], age["screen_min"], age["screen_max"]) == (True, 18, 65)


def test_rates_through_the_api_keep_to_the_callers_scope(world, round_):
    respond(round_, world.community_a, world.office)
    respond(round_, world.community_b, world.office)
    office = world.client("office").get(
        f"/api/surveys/rounds/{round_.pk}/rates", {"by": "area", "measure": "satisfaction"}
    )
    sibling = world.client("liaison_b").get(
        f"/api/surveys/rounds/{round_.pk}/rates", {"by": "area", "measure": "satisfaction"}
    )
    assert {r["key"] for r in office.json()["rates"]} == {
        str(world.community_a.pk),
        str(world.community_b.pk),
    }
    assert {r["key"] for r in sibling.json()["rates"]} == {str(world.community_b.pk)}
    row = office.json()["rates"][0]
    assert row["low"] <= row["rate"] <= row["high"]
    bad = world.client("office").get(f"/api/surveys/rounds/{round_.pk}/rates", {"by": "colour"})
    assert bad.status_code == 400


def test_quota_progress_through_the_api(world, round_):
    from chuangwen.surveys.models import Quota

    Quota.objects.create(round=round_, unit=world.community_a, target=5)
    Quota.objects.create(round=round_, unit=world.community_b, target=5)
    respond(round_, world.community_a, world.office)
    rows = world.client("liaison_a").get(f"/api/surveys/rounds/{round_.pk}/progress").json()
    assert [(r["unit_id"], r["done"], r["remaining"]) for r in rows] == [(world.community_a.pk, 1, 4)]


def test_the_public_api_takes_one_response_per_device(world):
    public = round_of(questionnaire(world), RoundMode.PUBLIC, name="网络问卷")
    client = world.client("anonymous")
    form = client.get(f"/api/surveys/public/{public.public_token}")
    assert form.status_code == 200 and "cw_survey_device" in form.cookies
    assert {a["id"] for a in form.json()["areas"]} == {world.community_a.pk, world.community_b.pk}
    url = f"/api/surveys/public/{public.public_token}/responses"
    payload = {
        "idempotency_key": key(),
        "unit_id": world.community_a.pk,
        "phone": "13912345678",
        "answers": GOOD,
    }
    assert post(client, url, payload).status_code == 201
    again = post(client, url, {**payload, "idempotency_key": key(), "phone": "13800000000"})
    assert again.status_code == 409
    assert post(client, url, payload).status_code == 200  # the same key: the stored copy


def test_the_public_api_is_rate_limited(world):
    public = round_of(questionnaire(world), RoundMode.PUBLIC, name="网络问卷", rate_limit_per_hour=1)
    url = f"/api/surveys/public/{public.public_token}/responses"
    payload = {
        "idempotency_key": key(),
        "unit_id": world.community_a.pk,
        "phone": "13912345678",
        "answers": GOOD,
    }
    assert post(world.client("anonymous"), url, payload).status_code == 201
    assert post(world.client("anonymous"), url, {**payload, "idempotency_key": key()}).status_code == 429


def test_an_unknown_public_token_is_not_found(world):
    assert world.client("anonymous").get("/api/surveys/public/nope").status_code == 404
