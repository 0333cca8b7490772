"""The main menu folds the entries a user may see into dropdown groups."""

from __future__ import annotations

import pytest

from chuangwen.core.context_processors import _nav_groups

pytestmark = pytest.mark.django_db


def labels(entries: list[dict]) -> list[str]:
    return [str(e["group"]["label"]) if e.get("group") else str(e["link"]["label"]) for e in entries]


def test_the_office_sees_grouped_dropdowns_with_the_dispatch_console_under_problems(world):
    entries = world.client("office").get("/problems/console/").context["nav_groups"]
    problems = next(e["group"] for e in entries if e.get("group") and str(e["group"]["label"]) == "Problems")
    assert "/problems/console/" in [i["url"] for i in problems["items"]]
    assert problems["active"] is True
    assert "Home" in labels(entries) and "Organisation" in labels(entries)
    page = world.client("office").get("/").content.decode()
    assert 'class="nav-item dropdown"' in page and 'data-bs-toggle="dropdown"' in page


def test_a_liaison_does_not_see_the_office_only_entries(world):
    entries = world.client("liaison_a").get("/").context["nav_groups"]
    urls = [i["url"] for e in entries for i in (e["group"]["items"] if e.get("group") else [e["link"]])]
    assert "/problems/console/" not in urls and "/audit/" not in urls


def test_a_group_with_one_visible_entry_is_shown_as_a_plain_link():
    items = [
        {"url": "/", "label": "Home", "active": True, "name": "core:home"},
        {"url": "/surveys/", "label": "Surveys", "active": False, "name": "surveys:index"},
        {"url": "/points/", "label": "Points", "active": False, "name": "points:list"},
        {"url": "/points/duty/", "label": "My duty", "active": False, "name": "points:my_duty"},
    ]
    entries = _nav_groups(items)
    assert [e["link"]["url"] if e.get("link") else None for e in entries] == ["/", "/surveys/", None]
    assert [i["url"] for i in entries[2]["group"]["items"]] == ["/points/", "/points/duty/"]
