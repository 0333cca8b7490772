from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_countdown_and_the_current_phase(world):
    response = world.client("liaison_a").get(reverse("core:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="countdown">40<' in html
    assert "宣传发动" in html


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    response = world.client("anonymous").get(reverse("core:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_home_page_names_the_roles_the_user_holds(world):
    html = world.client("liaison_b").get(reverse("core:home")).content.decode()
    assert "柳岸街道" in html
    assert "松林街道" not in html


def test_the_menu_hides_the_audit_log_from_units(world):
    assert reverse("audit:list") not in world.client("liaison_a").get("/").content.decode()
    assert reverse("audit:list") in world.client("office").get("/").content.decode()
