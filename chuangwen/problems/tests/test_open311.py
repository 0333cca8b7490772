# ruff: noqa: S314 - parses our own XML responses, not untrusted input
"""Open311 GeoReport v2 as an unchanged civic app would use it."""

from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from chuangwen.problems import services
from chuangwen.problems.models import Channel, Open311Client, Problem, Source, Status
from chuangwen.problems.tests.factories import category, photo, problem_in_street_a, public_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(world):
    _client, key = Open311Client.create_with_key("随手拍 app")
    return key


def post(key, **extra):
    data = {
        "api_key": key,
        "service_code": category().code,
        "lat": "30.0",
        "long": "120.0",
        "description": "路边乱摆摊",
        "first_name": "明",
        "last_name": "王",
        "phone": "13812345678",
    }
    data.update(extra)
    return Client().post("/open311/v2/requests.json", data)


def test_services_list_every_minor_category_in_json_and_xml(world):
    services_json = Client().get("/open311/v2/services.json").json()
    codes = {s["service_code"] for s in services_json}
    assert category().code in codes
    entry = next(s for s in services_json if s["service_code"] == category().code)
    assert entry["type"] == "realtime" and entry["metadata"] is True and entry["group"]
    root = ET.fromstring(Client().get("/open311/v2/services.xml").content)
    assert root.tag == "services"
    assert category().code in [s.findtext("service_code") for s in root.findall("service")]


def test_a_service_definition_and_an_unknown_code(world):
    definition = Client().get(f"/open311/v2/services/{category().code}.json").json()
    assert definition["service_code"] == category().code
    assert [a["code"] for a in definition["attributes"]] == ["work_order_id", "urgency"]
    missing = Client().get("/open311/v2/services/NOPE.xml")
    assert missing.status_code == 404
    assert ET.fromstring(missing.content).find("error/code").text == "404"


def test_posting_with_a_key_files_a_problem_in_the_office_queue(world, key):
    response = post(key, media_url="https://img.example.org/a.jpg")
    assert response.status_code == 200
    [answer] = response.json()
    problem = Problem.objects.get(pk=int(answer["service_request_id"]))
    assert (problem.channel, problem.source, problem.status) == (
        Channel.OPEN311,
        Source.CITIZEN,
        Status.REPORTED,
    )
    assert problem.reporter_name == "王 明" and problem.reporter_phone == "13812345678"
    assert problem.media_url == "https://img.example.org/a.jpg"  # linked, never fetched
    assert problem.description == "路边乱摆摊"


def test_posting_without_a_valid_key_or_location_is_refused(world, key):
    assert post("wrong").status_code == 403
    assert post("").status_code == 403
    response = post(key, lat="", long="", address_string="")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert post(key, service_code="NOPE").status_code == 400
    assert not Problem.objects.exists()


def test_a_retry_with_the_same_idempotency_key_is_stored_once(world, key):
    data = {"api_key": key, "service_code": category().code, "address_string": "松林路"}
    first = Client().post("/open311/v2/requests.json", data, HTTP_IDEMPOTENCY_KEY="k1").json()
    again = Client().post("/open311/v2/requests.json", data, HTTP_IDEMPOTENCY_KEY="k1").json()
    assert first == again
    assert Problem.objects.count() == 1


def test_requests_map_our_lifecycle_to_open_and_closed_with_notes_and_deadline(world):
    problem = public_problem(world)
    problem = services.dispatch(problem, world.office, unit=world.street_a)
    [item] = Client().get(f"/open311/v2/requests/{problem.pk}.json").json()
    assert item["status"] == "open"
    assert item["agency_responsible"] == world.street_a.name
    assert item["expected_datetime"] and item["requested_datetime"].endswith("+08:00")
    assert item["media_url"].startswith("http://testserver/open311/v2/media/")
    assert Client().get(item["media_url"]).status_code == 200
    assert "13812345678" not in str(item)
    services.mark_not_applicable(problem, world.office, reason="不属于创城范围")
    root = ET.fromstring(Client().get(f"/open311/v2/requests/{problem.pk}.xml").content)
    assert root.findtext("request/status") == "closed"
    assert root.findtext("request/status_notes") == "不属于创城范围"


def test_requests_filter_by_status_code_ids_and_dates(world):
    open_one = public_problem(world)
    closed = services.report(
        "public",
        category=category("井盖缺损"),
        description="井盖",
        source=Source.CITIZEN,
        channel=Channel.PUBLIC,
        address="松林路",
        photos=[photo()],
    )
    services.mark_not_applicable(closed, world.office, reason="重复")
    client = Client()

    def ids(**params):
        return {int(r["service_request_id"]) for r in client.get("/open311/v2/requests.json", params).json()}

    assert ids() == {open_one.pk, closed.pk}
    assert ids(status="open") == {open_one.pk}
    assert ids(status="closed") == {closed.pk}
    assert ids(service_code=category("井盖缺损").code) == {closed.pk}
    assert ids(service_request_id=f"{closed.pk}", status="open") == {closed.pk}  # ids win over filters
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == set()
    assert client.get("/open311/v2/requests.json", {"status": "pending"}).status_code == 400
    root = ET.fromstring(client.get("/open311/v2/requests.xml").content)
    assert root.tag == "service_requests" and len(root.findall("request")) == 2


def test_internal_inspection_findings_are_not_published(world):
    internal = problem_in_street_a(world)
    assert Client().get(f"/open311/v2/requests/{internal.pk}.json").status_code == 404
    assert internal.pk not in [
        int(r["service_request_id"]) for r in Client().get("/open311/v2/requests.json").json()
    ]


def test_a_wrong_jurisdiction_is_not_found(world, settings):
    settings.OPEN311_JURISDICTION_ID = "qingshi.example.gov.cn"
    assert Client().get("/open311/v2/services.json", {"jurisdiction_id": "other"}).status_code == 404
    assert (
        Client().get("/open311/v2/services.json", {"jurisdiction_id": "qingshi.example.gov.cn"}).status_code
        == 200
    )
