"""Every page survives nonsense in its query string: a number too big for any column, a
negative one, letters, an impossible date. Each answers as a page does (200, a redirect, 400,
404), never with a server error. The parameters are the ones the pages read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.tests.test_permission_matrix import all_routes

pytestmark = pytest.mark.django_db

NONSENSE = ["122373713130106355712", "-1", "abc", "2026-13-45"]
PARAMS = [
    "year", "page", "unit", "days", "start", "end", "month", "status", "kind", "round", "campaign",
    "category", "source", "q", "by", "period", "street", "point_type", "date", "open", "level",
    "lat", "lng", "questionnaire", "indicator", "task", "point", "group",
]  # fmt: skip


def test_every_page_answers_nonsense_parameters_without_a_server_error(world):
    client = world.client("office")
    failures = []
    for route in all_routes():
        if route.is_api or route.method != "GET":
            continue
        url = reverse(route.name, kwargs=route.kwargs(world))
        for value in NONSENSE:
            query = "&".join(f"{name}={value}" for name in PARAMS)
            try:
                status = client.get(f"{url}?{query}").status_code
            except Exception as exc:  # noqa: BLE001 - the test client re-raises what a server would 500
                status = f"{type(exc).__name__}: {exc}"[:120]
            if status == 500 or isinstance(status, str):
                failures.append(f"{route.name} ?…={value}: {status}")
    assert not failures, "\n".join(failures)
