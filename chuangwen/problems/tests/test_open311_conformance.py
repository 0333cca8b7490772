# ruff: noqa: S314 - parses our own XML responses, not untrusted input
"""Open311 GeoReport v2 by the letter: every deviation issue 14 found, each reproduced here."""

import datetime as dt
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from chuangwen.problems import services
from chuangwen.problems.models import Channel, Open311Client, Problem, ProblemPhoto, Source, Urgency
from chuangwen.problems.tests.factories import category, jpeg_bytes, public_problem

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def key(world):
    _client, key = Open311Client.create_with_key("随手拍 app")
    return key


def post(key, headers=None, **extra):
    data = {
        "api_key": key,
        "service_code": category().code,
        "lat": "30.0",
        "long": "120.0",
        "description": "路边乱摆摊",
    }
    data.update(extra)
    return Client().post(
        f"{BASE}/requests.json", {k: v for k, v in data.items() if v is not None}, **(headers or {})
    )


def is_error_list(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    [entry] = response.json()
    assert entry["code"] == status and entry["description"]
    return entry["description"]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-13-45T00:00:00Z"},
        {"start_date": "2026-02-30T00:00:00Z"},
        {"end_date": "2026-01-01T25:00:00Z"},
        {"start_date": "2026-01-01T00:00:00+25:00"},
        {"start_date": "yesterday"},
    ],
)
def test_an_impossible_date_is_a_400_error_list_not_a_server_error(world, params):
    is_error_list(Client().get(f"{BASE}/requests.json", params), 400)
    xml = Client().get(f"{BASE}/requests.xml", params)
    assert xml.status_code == 400 and ET.fromstring(xml.content).findtext("error/code") == "400"


def test_a_search_may_span_90_days_at_most_and_must_run_forwards(world):
    too_long = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}
    assert "90" in is_error_list(Client().get(f"{BASE}/requests.json", too_long), 400)
    backwards = {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}
    is_error_list(Client().get(f"{BASE}/requests.json", backwards), 400)


def test_a_start_date_alone_searches_the_90_days_after_it(world):
    problem = public_problem(world)
    start = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    long_ago = (timezone.now() - dt.timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def ids(start):
        return [
            r["service_request_id"]
            for r in Client().get(f"{BASE}/requests.json", {"start_date": start}).json()
        ]

    assert ids(start) == [str(problem.pk)]
    assert ids(long_ago) == []


def test_control_characters_never_break_the_xml(world, key):
    response = post(key, description="井盖\x00缺失\x0b请处理", address_string="松林路\x0c1号")
    problem = Problem.objects.get(pk=int(response.json()[0]["service_request_id"]))
    assert problem.description == "井盖缺失请处理" and problem.address == "松林路1号"
    # One written before this rule (or by another path) is cleaned on the way out as well
    # (PostgreSQL refuses NUL itself; other control characters it stores).
    Problem.objects.filter(pk=problem.pk).update(description="旧\x01数据\x0b")
    root = ET.fromstring(Client().get(f"{BASE}/requests.xml").content)
    assert root.findtext("request/description") == "旧数据"


def test_a_post_answers_a_token_that_tokens_resolves_in_json_and_xml(world, key):
    [answer] = post(key).json()
    token = answer["token"]
    assert token and answer["service_request_id"]
    [found] = Client().get(f"{BASE}/tokens/{token}.json").json()
    assert found == {"service_request_id": answer["service_request_id"], "token": token}
    root = ET.fromstring(Client().get(f"{BASE}/tokens/{token}.xml").content)
    assert root.findtext("request/service_request_id") == answer["service_request_id"]
    is_error_list(Client().get(f"{BASE}/tokens/nosuchtoken.json"), 404)


def test_a_public_pages_follow_token_is_not_an_open311_token(world):
    problem = public_problem(world)
    is_error_list(Client().get(f"{BASE}/tokens/{problem.public_token}.json"), 404)


def test_a_posted_media_url_is_the_requests_media(world, key):
    [answer] = post(key, media_url="https://img.example.org/a.jpg").json()
    [item] = Client().get(f"{BASE}/requests/{answer['service_request_id']}.json").json()
    assert item["media_url"] == "https://img.example.org/a.jpg"
    assert "https://img.example.org" not in item["description"]
    is_error_list(post(key, media_url="javascript:alert(1)"), 400)


def test_a_posted_media_file_is_stored_as_a_photo_through_the_photo_checks(world, key):
    upload = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    [answer] = post(key, media=upload).json()
    problem = Problem.objects.get(pk=int(answer["service_request_id"]))
    assert ProblemPhoto.objects.filter(problem=problem).count() == 1
    [item] = Client().get(f"{BASE}/requests/{problem.pk}.json").json()
    assert item["media_url"].startswith("http://testserver/open311/v2/media/")
    assert Client().get(item["media_url"])["Content-Type"] == "image/jpeg"
    fake = SimpleUploadedFile("b.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    assert "JPEG" in is_error_list(post(key, media=fake, description="另一处"), 400)
    assert Problem.objects.count() == 1


def test_a_description_up_to_4000_characters_is_kept_whole_and_a_longer_one_refused(world, key):
    [answer] = post(key, description="长" * 4000).json()
    assert len(Problem.objects.get(pk=int(answer["service_request_id"])).description) == 4000
    assert "4000" in is_error_list(post(key, description="长" * 4001), 400)
    assert Problem.objects.count() == 1


def test_contact_fields_are_kept_for_the_office_and_masked_for_others(world, key):
    extra = {"email": "wang@example.org", "device_id": "device-123456", "first_name": "明", "last_name": "王"}
    [answer] = post(key, phone="13812345678", **extra).json()
    problem = Problem.objects.get(pk=int(answer["service_request_id"]))
    assert (problem.reporter_email, problem.reporter_device) == ("wang@example.org", "device-123456")
    assert problem.reporter_name == "王 明" and problem.reporter_phone == "13812345678"
    assert problem.contact_for(world.office) == {"email": "wang@example.org", "device": "device-123456"}
    assert problem.contact_for(world.liaison_a) == {"email": "w***@example.org", "device": "de****56"}
    services.dispatch(problem, world.office, unit=world.street_a)
    page = world.client("liaison_a").get(f"/problems/{problem.pk}/").content.decode()
    assert "w***@example.org" in page and "wang@example.org" not in page
    assert "wang@example.org" in world.client("office").get(f"/problems/{problem.pk}/").content.decode()
    from_api = world.client("liaison_a").get(f"/api/problems/{problem.pk}").json()
    assert (from_api["reporter_email"], from_api["reporter_device"]) == ("w***@example.org", "de****56")
    assert (
        world.client("office").get(f"/api/problems/{problem.pk}").json()["reporter_email"]
        == "wang@example.org"
    )
    [item] = Client().get(f"{BASE}/requests/{problem.pk}.json").json()
    assert "example.org" not in str(item) and "device-123456" not in str(item)
    is_error_list(post(key, email="not-an-email"), 400)


def test_a_location_outside_the_territory_is_refused(world, key, settings):
    message = is_error_list(post(key, lat="40.7128", long="-74.0060"), 400)
    assert "40.71280" in message
    settings.TERRITORY_BOUNDS = "29.9,119.9,30.1,120.1"
    assert post(key, lat="30.0", long="120.0").status_code == 200
    assert post(key, lat="31.5", long="121.5", description="上海").status_code == 400  # China, not here
    assert post(key, lat="30.15", long="120.05", description="边界外一点").status_code == 200  # the margin
    assert Problem.objects.count() == 2


def test_identical_posts_from_one_key_within_minutes_are_one_request(world, key):
    answers = [post(key).json()[0]["service_request_id"] for _ in range(3)]
    assert len(set(answers)) == 1 and Problem.objects.count() == 1
    assert post(key, description="另一个问题").json()[0]["service_request_id"] != answers[0]
    Problem.objects.update(reported_at=timezone.now() - dt.timedelta(minutes=30))
    assert post(key).json()[0]["service_request_id"] not in answers
    _other, other_key = Open311Client.create_with_key("另一个应用")
    assert post(other_key).json()[0]["service_request_id"] not in answers
    assert Problem.objects.count() == 4


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "requests/abc.json"),
        ("get", "requests/123456789012345678901.json"),
        ("get", "requests.csv"),
        ("get", "nothing-here"),
        ("delete", "requests/1.json"),
    ],
)
def test_unknown_paths_answer_a_json_error_list_not_an_html_page(world, method, path):
    response = getattr(Client(enforce_csrf_checks=True), method)(f"{BASE}/{path}")
    assert response.status_code in (404, 405)
    is_error_list(response, response.status_code)


def test_an_id_of_20_digits_is_simply_not_found(world):
    is_error_list(Client().get(f"{BASE}/requests/12345678901234567890.json"), 404)
    assert Client().get(f"{BASE}/requests.json", {"service_request_id": "12345678901234567890"}).json() == []


def test_methods_a_resource_does_not_have_are_405_with_allow(world):
    for method, path in (("put", "requests.json"), ("delete", "requests.json"), ("post", "services.json")):
        response = getattr(Client(enforce_csrf_checks=True), method)(f"{BASE}/{path}")
        is_error_list(response, 405)
        assert "GET" in response["Allow"]
    xml = Client().put(f"{BASE}/requests.xml")
    assert xml.status_code == 405 and ET.fromstring(xml.content).findtext("error/code") == "405"


def test_a_post_in_gbk_is_read_as_gbk(world, key):
    body = f"api_key={key}&service_code={category().code}&address_string={quote('松林路', encoding='gbk')}"
    response = Client().post(
        f"{BASE}/requests.json", body, content_type="application/x-www-form-urlencoded; charset=gbk"
    )
    assert response.status_code == 200
    assert Problem.objects.get().address == "松林路"


def test_a_post_in_an_unknown_charset_is_a_400_error_list(world, key):
    response = Client().generic(
        "POST",
        f"{BASE}/requests.json",
        f"api_key={key}",
        content_type="application/x-www-form-urlencoded; charset=nope",
    )
    is_error_list(response, 400)


def test_empty_fields_are_null_in_json_and_empty_elements_in_xml(world):
    problem = public_problem(world)
    [item] = Client().get(f"{BASE}/requests/{problem.pk}.json").json()
    assert item["service_notice"] is None and item["address_id"] is None and item["zipcode"] is None
    assert item["agency_responsible"] is None and item["expected_datetime"] is None
    assert "" not in item.values()
    root = ET.fromstring(Client().get(f"{BASE}/requests/{problem.pk}.xml").content)
    assert root.find("request/service_notice") is not None and root.findtext("request/service_notice") == ""


def test_services_declare_their_attributes_and_required_ones_are_enforced(world, key, settings):
    definition = Client().get(f"{BASE}/services/{category().code}.json").json()
    urgency = next(a for a in definition["attributes"] if a["code"] == "urgency")
    assert (
        urgency["datatype"] == "singlevaluelist"
        and {"key": "urgent", "name": urgency["values"][1]["name"]} in urgency["values"]
    )
    root = ET.fromstring(Client().get(f"{BASE}/services/{category().code}.xml").content)
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == ["work_order_id", "urgency"]
    assert root.find("attributes/attribute/values/value/key") is not None
    assert "urgency" in is_error_list(post(key, **{"attribute[urgency]": "yesterday"}), 400)
    assert "nope" in is_error_list(post(key, **{"attribute[nope]": "1"}), 400)
    settings.OPEN311_REQUIRED_ATTRIBUTES = ("work_order_id",)
    assert Client().get(f"{BASE}/services/{category().code}.json").json()["attributes"][0]["required"] is True
    assert "work_order_id" in is_error_list(post(key), 400)
    [answer] = post(key, **{"attribute[work_order_id]": "GD2026-0001", "attribute[urgency]": "urgent"}).json()
    problem = Problem.objects.get(pk=int(answer["service_request_id"]))
    assert (problem.external_ref, problem.urgency) == ("GD2026-0001", Urgency.URGENT)


def test_the_12345_work_order_number_is_exposed_with_extensions(world):
    problem = services.report(
        "hotline",
        category=category(),
        description="噪音扰民",
        source=Source.HOTLINE_12345,
        channel=Channel.IMPORT,
        address="松林路",
        external_ref="GD2026-0042",
    )
    [plain] = Client().get(f"{BASE}/requests/{problem.pk}.json").json()
    assert "extended_attributes" not in plain
    [item] = Client().get(f"{BASE}/requests/{problem.pk}.json", {"extensions": "true"}).json()
    assert item["extended_attributes"] == {"work_order_id": "GD2026-0042"}


def test_get_answers_carry_cors_headers_and_preflight_is_answered(world):
    response = Client().get(f"{BASE}/services.json", HTTP_ORIGIN="https://app.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert Client().get(f"{BASE}/requests/1.json")["Access-Control-Allow-Origin"] == "*"  # errors too
    preflight = Client().options(f"{BASE}/requests.json", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert preflight.status_code == 204 and "POST" in preflight["Access-Control-Allow-Methods"]


def test_errors_follow_accept_language_with_chinese_by_default(world, chinese):
    chinese = is_error_list(Client().get(f"{BASE}/services/NOPE.json"), 404)
    english = is_error_list(Client().get(f"{BASE}/services/NOPE.json", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert english == "service_code was not found"
    assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_at_most_1000_requests_are_answered(world, monkeypatch):
    from chuangwen.problems.views import open311

    monkeypatch.setattr(open311, "MAX_RESULTS", 1)
    public_problem(world)
    services.report(
        "public",
        category=category(),
        description="第二个",
        source=Source.CITIZEN,
        channel=Channel.PUBLIC,
        address="松林路",
    )
    assert len(Client().get(f"{BASE}/requests.json").json()) == 1


def test_without_configured_bounds_the_grids_boundaries_are_the_territory(world, key):
    from chuangwen.org.models import Grid
    from chuangwen.problems.routing import forget_grids

    square = [[119.99, 29.99], [120.01, 29.99], [120.01, 30.01], [119.99, 30.01], [119.99, 29.99]]
    Grid.objects.create(
        name="松林一格",
        code="G-1",
        unit=world.community_a,
        polygon={"type": "Polygon", "coordinates": [square]},
    )
    forget_grids()
    assert post(key, lat="30.0", long="120.0").status_code == 200
    assert post(key, lat="30.1", long="120.1", description="格外 15 公里内").status_code == 200  # the margin
    assert post(key, lat="31.0", long="121.0", description="百公里外").status_code == 400


def test_a_body_too_large_to_read_is_a_400_error_list(world, key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    description = is_error_list(post(key, description="长" * 200), 400)
    assert "too large" in description
    assert not Problem.objects.exists()
