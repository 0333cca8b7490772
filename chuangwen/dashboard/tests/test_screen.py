"""Issue 21: the 大屏 mode of the dashboard for the command centre's wall screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.dashboard.tests.factories import snapshot_of

pytestmark = pytest.mark.django_db


def test_the_big_screen_has_no_menus_reloads_itself_and_shows_the_countdown(world):
    snapshot_of(world, None)
    page = world.client("office").get(reverse("dashboard:screen"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "cw-navbar" not in html, "no menus on the wall screen"
    assert 'http-equiv="refresh"' in html
    days = (world.campaign.inspection_start - page.context["today"]).days
    assert f">{days}<" in html.replace(" ", "")
    assert 'data-testid="screen-rate"' in html
    assert (
        reverse("dashboard:screen") in world.client("office").get(reverse("dashboard:index")).content.decode()
    )


def test_a_street_sees_its_own_slice_on_the_big_screen(world):
    snapshot_of(world, world.street_a)
    page = world.client("liaison_a").get(reverse("dashboard:screen"))
    assert page.status_code == 200
    assert page.context["snapshot"].unit_id == world.street_a.pk
