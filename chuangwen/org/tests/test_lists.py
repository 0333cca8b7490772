"""The unit tree, people list and their API routes: paging, ordering and counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.org.models import Person, Unit, UnitKind
from chuangwen.org.views import TREE_PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_the_people_api_counts_every_person_in_reach_and_lists_them_by_unit_then_name(world):
    Person.objects.create(name="阿松", phone="", position="", unit=world.community_a)
    Person.objects.create(name="白松", phone="", position="", unit=world.street_a)
    Person.objects.create(name="不在册", phone="", position="", unit=world.street_a, is_active=False)

    body = world.client("liaison_a").get("/api/org/people").json()

    assert body["count"] == 3
    names = [p["name"] for p in body["items"]]
    # The street's people come before its community's (name order within a unit is the collation's).
    assert names[0] == "白松" and set(names[1:]) == {"阿松", "林小松"}
    assert {p["unit_name"] for p in body["items"]} == {"松林街道", "松林一社区"}
    assert world.client("office").get("/api/org/people").json()["count"] == 4


def test_the_unit_tree_is_paged_in_path_order_and_keeps_the_filters(world):
    for i in range(TREE_PAGE_SIZE + 5):
        Unit.objects.create(
            name=f"松林小区{i:03}", code=f"S-A-X{i:03}", kind=UnitKind.OTHER, parent=world.street_a
        )
    client = world.client("liaison_a")

    first = client.get(reverse("org:units"))
    second = client.get(reverse("org:units"), {"page": 2, "kind": UnitKind.OTHER})

    assert first.context["page"].paginator.count == TREE_PAGE_SIZE + 7  # street A, community A and the rest
    paths = [u.path for u in first.context["units"]]
    assert paths == sorted(paths) and len(paths) == TREE_PAGE_SIZE
    assert first.context["units"][0] == world.street_a and first.context["units"][0].indent == 0
    assert "page=2" in first.content.decode()
    assert f'href="{reverse("org:unit", args=[world.street_a.pk])}"' in first.content.decode()
    assert len(second.context["units"]) == 5 and "kind=other" in second.content.decode()


def test_the_unit_tree_counts_the_active_people_of_each_unit_shown(world):
    Person.objects.create(name="松二", phone="", position="", unit=world.community_a)
    Person.objects.create(name="离任", phone="", position="", unit=world.community_a, is_active=False)

    units = {u.code: u for u in world.client("office").get(reverse("org:units")).context["units"]}

    assert units["S-A-1"].n_people == 2 and units["S-A"].n_people == 0
    assert units["S-A"].kind_label == str(UnitKind.STREET.label)


def test_the_people_list_links_each_person_to_their_unit_and_to_the_edit_form(world):
    html = world.client("office").get(reverse("org:people")).content.decode()

    assert f'href="{reverse("org:unit", args=[world.community_a.pk])}"' in html
    assert f'href="{reverse("org:person_edit", args=[world.person_a.pk])}"' in html
