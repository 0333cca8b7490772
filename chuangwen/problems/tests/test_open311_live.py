"""The Open311 endpoint over real HTTP: the unmodified third-party client `georeport` (PyPI,
0.3.1) for every GET it supports, in JSON and XML, and raw HTTP (urllib) for what it does not
do (POST, tokens), in both formats."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree as ET

import pytest
from georeport import GeoReport

from chuangwen.conftest import build_world
from chuangwen.problems import services
from chuangwen.problems.models import Channel, Open311Client, Source
from chuangwen.problems.tests.factories import category, photo


@pytest.fixture
def live(transactional_db, live_server):
    build_world()
    problem = services.report(
        "public",
        category=category(),
        description="人行道被占",
        source=Source.CITIZEN,
        channel=Channel.PUBLIC,
        address="松林路",
        lat=30.0,
        lng=120.0,
        photos=[photo()],
    )
    _client, key = Open311Client.create_with_key("随手拍 app")
    return {"root": f"{live_server.url}/open311/v2", "problem": problem, "key": key}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_services_definitions_and_requests(live, fmt):
    client = GeoReport(live["root"], output_format=fmt)
    code = category().code
    services_list = client.get_service_list()
    assert code in [s["service_code"] for s in services_list]
    definition = client.get_service_definition(code)
    assert definition["service_code"] == code and definition["attributes"]
    problem_id = str(live["problem"].pk)
    listed = client.get_service_requests(status="open", service_code=code)
    listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one element is a dict
    assert [r["service_request_id"] for r in listed] == [problem_id]
    by_id = client.get_service_requests(service_request_id=problem_id)
    by_id = by_id if isinstance(by_id, list) else [by_id]
    assert by_id[0]["description"] == "人行道被占"
    one = client.get_service_request(problem_id)
    assert one["status"] == "open" and one["media_url"].startswith(live["root"])


def _post(url: str, data: dict[str, str]) -> tuple[int, bytes, str]:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - the live test server
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers["Content-Type"]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 - the live test server
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_raw_http_posts_and_follows_tokens_in_json_and_xml(live):
    data = {"api_key": live["key"], "service_code": category().code, "lat": "30.001", "long": "120.001"}
    status, body, content_type = _post(f"{live['root']}/requests.json", {**data, "description": "井盖缺失"})
    assert status == 200 and content_type.startswith("application/json")
    [answer] = json.loads(body)
    status, body = _get(f"{live['root']}/tokens/{answer['token']}.json")
    assert json.loads(body) == [
        {"service_request_id": answer["service_request_id"], "token": answer["token"]}
    ]

    status, body, content_type = _post(f"{live['root']}/requests.xml", {**data, "description": "路灯不亮"})
    assert status == 200 and content_type.startswith("text/xml")
    root = ET.fromstring(body)  # noqa: S314 - our own answer
    token, request_id = root.findtext("request/token"), root.findtext("request/service_request_id")
    status, body = _get(f"{live['root']}/tokens/{token}.xml")
    assert ET.fromstring(body).findtext("request/service_request_id") == request_id  # noqa: S314
    assert request_id != answer["service_request_id"]

    status, body, _type = _post(f"{live['root']}/requests.xml", {**data, "api_key": "wrong"})
    assert status == 403 and ET.fromstring(body).findtext("error/code") == "403"  # noqa: S314
