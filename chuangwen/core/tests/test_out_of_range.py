"""Numbers no column can hold (found by fuzzing the OpenAPI document) are the caller's error:
400 or 422 with a message, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

HUGE = "122373713130106355712"  # past 2^64


def test_a_list_with_a_huge_limit_or_offset_is_refused_with_422(world):
    client = world.client("office")
    for query in (f"limit={HUGE}", f"offset={HUGE}", "limit=1001", "offset=-1"):
        response = client.get(f"/api/notifications/?{query}")
        assert response.status_code == 422, query
    assert client.get("/api/notifications/?limit=1000&offset=5").status_code == 200


def test_a_huge_id_in_an_api_query_finds_nothing_or_is_a_400_never_a_500(world):
    response = world.client("office").get(f"/api/points/map?point_type_id={HUGE}")
    # PostgreSQL's backend turns the impossible id into an empty result; SQLite's driver
    # overflows, which the API answers as the caller's error.
    if response.status_code == 400:
        assert "out of range" in response.json()["detail"]
    else:
        assert response.status_code == 200 and response.json()["rows"] == []


def test_the_api_answers_a_driver_overflow_or_a_data_error_with_400():
    from django.db import DataError
    from django.test import RequestFactory

    from chuangwen.api import _out_of_range

    request = RequestFactory().get("/api/points/map")
    for error in (OverflowError("Python int too large"), DataError("value out of range for type bigint")):
        response = _out_of_range(request, error)
        assert response.status_code == 400 and b"out of range" in response.content


def test_a_page_failing_on_an_out_of_range_number_gets_the_chinese_400_page(chinese):
    from django.test import RequestFactory

    from chuangwen.core.middleware import OutOfRangeMiddleware

    def view(request):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    middleware = OutOfRangeMiddleware(view)
    request = RequestFactory().get("/problems/?unit=" + HUGE)
    response = middleware.process_exception(request, OverflowError("too large"))
    assert response.status_code == 400 and "无法理解该请求" in response.content.decode()
    assert middleware.process_exception(request, ValueError("other")) is None


def test_a_negative_number_of_days_is_refused(world):
    assert world.client("duty_a").get("/api/points/shifts/mine?days=-3189116805").status_code == 422
    assert world.client("duty_a").get("/api/points/shifts/mine?days=60").status_code == 200


def test_a_survey_round_filter_past_a_bigint_is_not_a_server_error(world):
    response = world.client("office").get("/api/surveys/rounds?questionnaire_id=9223372036854775808")
    assert response.status_code in (200, 400)
    assert (
        response.json() == [] if response.status_code == 200 else "out of range" in response.json()["detail"]
    )


def test_no_api_list_answers_500_to_an_integer_query_parameter_past_a_bigint(world):
    """Every GET operation without path parameters, each integer query parameter at 2^63."""
    from chuangwen.api import api

    schema = api.get_openapi_schema()
    client = world.client("office")
    tried = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get or "{" in path:
            continue
        for parameter in get.get("parameters", []):
            kinds = {parameter.get("schema", {}).get("type")} | {
                option.get("type") for option in parameter.get("schema", {}).get("anyOf", [])
            }
            if parameter["in"] == "query" and "integer" in kinds:
                response = client.get(f"{path}?{parameter['name']}=9223372036854775808")
                tried.append(f"{path}?{parameter['name']}")
                assert response.status_code != 500, tried[-1]
    assert "/api/surveys/rounds?questionnaire_id" in tried
