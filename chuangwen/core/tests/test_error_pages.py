"""Error pages are Chinese by default and never show a stack trace outside DEBUG."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from chuangwen import urls as project_urls


def _boom(request):
    raise RuntimeError("secret internals: /etc/chuangwen/settings")


urlpatterns = [path("boom/", _boom), *project_urls.urlpatterns]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.mark.django_db
@pytest.mark.urls("chuangwen.core.tests.test_error_pages")
def test_a_server_error_shows_a_chinese_page_without_the_stack_trace(chinese, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "出错" in html or "错误" in html
    assert "secret internals" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_an_unknown_page_gets_the_chinese_not_found_page(chinese, settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "Page not found" not in response.content.decode()


@pytest.mark.django_db
def test_a_form_posted_without_its_csrf_token_is_refused_in_chinese(world, chinese):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office)
    response = client.post("/org/people/new/", {"name": "无令牌"})
    assert response.status_code == 403
    assert "表单" in response.content.decode() or "错误" in response.content.decode()


@pytest.mark.django_db
def test_the_interface_switches_to_english_and_back(world):
    client = world.client("liaison_a")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Needs my attention" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "待办事项" in client.get("/").content.decode()
