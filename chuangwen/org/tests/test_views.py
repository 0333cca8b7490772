from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.org.models import Person, Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_the_sibling_liaison_sees_no_unit_or_person_of_street_a(world):
    client = world.client("liaison_b")
    units = client.get(reverse("org:units")).content.decode()
    assert "柳岸街道" in units and "松林街道" not in units and "松林一社区" not in units
    people = client.get(reverse("org:people")).content.decode()
    assert world.person_b.name in people and world.person_a.name not in people


def test_the_office_sees_every_unit_in_the_tree(world):
    html = world.client("office").get(reverse("org:units")).content.decode()
    for name in ("青石区", "松林街道", "柳岸街道", "松林一社区", "柳岸一社区", "青石区商务局"):
        assert name in html


def test_people_search_filters_by_name_and_by_subtree(world):
    client = world.client("office")
    html = client.get(reverse("org:people"), {"q": "林小"}).content.decode()
    assert world.person_a.name in html and world.person_b.name not in html
    html = client.get(reverse("org:people"), {"unit": world.street_b.pk}).content.decode()
    assert world.person_b.name in html and world.person_a.name not in html


def test_filtering_people_by_a_unit_out_of_scope_is_not_found(world):
    response = world.client("liaison_b").get(reverse("org:people"), {"unit": world.street_a.pk})
    assert response.status_code == 404


def test_moving_a_unit_rewrites_the_paths_of_its_whole_subtree(world):
    client = world.client("office")
    response = client.post(
        reverse("org:unit_edit", args=[world.street_a.pk]),
        {
            "name": "松林街道",
            "code": "S-A",
            "kind": UnitKind.STREET,
            "parent": world.street_b.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    street_a = Unit.objects.get(pk=world.street_a.pk)
    community = Unit.objects.get(pk=world.community_a.pk)
    assert street_a.path == f"{world.street_b.path}{street_a.pk}/"
    assert community.path == f"{street_a.path}{community.pk}/"
    assert community.depth == street_a.depth + 1
    entry = AuditEntry.objects.filter(action="org.unit.update").latest("id")
    assert entry.changes["parent"] == [world.district.pk, world.street_b.pk]


def test_a_unit_cannot_be_moved_below_itself(world):
    response = world.client("office").post(
        reverse("org:unit_edit", args=[world.street_a.pk]),
        {
            "name": "松林街道",
            "code": "S-A",
            "kind": UnitKind.STREET,
            "parent": world.community_a.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert Unit.objects.get(pk=world.street_a.pk).parent_id == world.district.pk


def test_a_unit_admin_adds_a_person_only_to_units_in_reach(world):
    client = world.client("unit_admin_a")
    ok = client.post(
        reverse("org:person_new"),
        {
            "name": "松涛",
            "phone": "139 0000 1234",
            "position": "联络员",
            "unit": world.community_a.pk,
            "is_active": "on",
        },
    )
    assert ok.status_code == 302
    person = Person.objects.get(name="松涛")
    assert person.phone == "13900001234"
    refused = client.post(
        reverse("org:person_new"),
        {"name": "越界", "phone": "", "position": "", "unit": world.community_b.pk, "is_active": "on"},
    )
    assert refused.status_code == 200
    assert not Person.objects.filter(name="越界").exists()


def test_a_bad_phone_number_is_refused_with_a_message(world):
    response = world.client("office").post(
        reverse("org:person_new"),
        {"name": "错号", "phone": "12345", "position": "", "unit": world.community_a.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="错号").exists()
    assert response.context["form"].errors["phone"]


def test_the_people_api_is_scoped_and_paginated(world):
    data = world.client("liaison_a").get("/api/org/people").json()
    names = {row["name"] for row in data["items"]}
    assert world.person_a.name in names and world.person_b.name not in names
    assert data["count"] == len(data["items"])


def test_finding_a_unit_by_its_alias_or_short_name(world):
    world.department.aliases.create(alias="区商务局")
    assert Unit.objects.find_by_name("区 商务局") == world.department
    assert Unit.objects.find_by_name("商务局") == world.department
    assert Unit.objects.find_by_name("青石区商务局") == world.department
    assert Unit.objects.find_by_name("不存在的局") is None
