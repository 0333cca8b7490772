"""The database away (a restart, a failover): 503 with Retry-After, never a 500, and the error
page itself never needs the database (found by `chuangwen bench faults`)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path
from ninja import NinjaAPI

from chuangwen import urls as project_urls


def _database_gone(request):
    raise OperationalError("connection failed: FATAL:  the database system is shutting down")


def _bug(request):
    raise RuntimeError("a bug of ours")


_api = NinjaAPI(urls_namespace="database-gone-api")


@_api.get("/gone")
def _api_gone(request):
    raise OperationalError("the connection is closed")


urlpatterns = [
    path("gone/", _database_gone),
    path("bug/", _bug),
    path("api/test-gone/", _api.urls),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def served(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.urls("chuangwen.core.tests.test_database_unavailable")
def test_a_page_while_the_database_is_away_is_a_503_to_retry_in_chinese(served, chinese):
    response = served.get("/gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "数据库暂时不可用" in html and "shutting down" not in html


@pytest.mark.django_db
@pytest.mark.urls("chuangwen.core.tests.test_database_unavailable")
def test_an_api_call_while_the_database_is_away_is_a_json_503(served, chinese):
    response = served.get("/api/test-gone/gone")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "数据库暂时不可用" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.urls("chuangwen.core.tests.test_database_unavailable")
def test_the_error_page_of_a_signed_in_user_needs_no_database(world, chinese, settings):
    # The menu (a context processor) reads the user's roles from the database: with the
    # database gone, rendering the error page with the request failed inside gunicorn.
    settings.DEBUG = False
    client = world.client("liaison_a")
    client.raise_request_exception = False
    with mock.patch(
        "chuangwen.core.context_processors._nav_items",
        side_effect=OperationalError("the connection is closed"),
    ):
        bug = client.get("/bug/")
        gone = client.get("/gone/")
    assert bug.status_code == 500 and "a bug of ours" not in bug.content.decode()
    assert gone.status_code == 503
