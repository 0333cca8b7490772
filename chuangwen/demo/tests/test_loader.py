"""The demo district: big enough to try every page, consistent, repeatable and invented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.accounts.scope import scoped
from chuangwen.audit.models import AuditEntry
from chuangwen.campaigns.models import Campaign, CommandPost, Phase, PhaseTask, WorkingGroup
from chuangwen.demo.campaign import WORKING_GROUPS
from chuangwen.demo.loader import load_demo
from chuangwen.org.models import (
    Adoption,
    AdoptionKind,
    Grid,
    Person,
    Road,
    RoadSection,
    Unit,
    UnitAlias,
    UnitKind,
)

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
MODELS = (
    Unit, UnitAlias, Person, Grid, Road, RoadSection, Adoption,
    Campaign, Phase, PhaseTask, CommandPost, WorkingGroup, User, Membership,
)  # fmt: skip


@pytest.fixture
def logins(db) -> list[tuple[str, str, str]]:
    return load_demo()


def _snapshot() -> dict[str, list[tuple]]:
    snap = {
        model.__name__: sorted(map(tuple, model.objects.values_list()))
        for model in MODELS
        if model is not User
    }
    snap["User"] = sorted(User.objects.values_list("username", "password", "display_name", "phone"))
    snap["Grid.staff"] = sorted(Grid.staff.through.objects.values_list("grid_id", "person_id"))
    snap["WorkingGroup.members"] = sorted(
        WorkingGroup.members.through.objects.values_list("workinggroup_id", "unit_id")
    )
    return snap


def test_it_loads_a_district_with_enough_streets_communities_departments_and_people(logins):
    units = Unit.objects
    district = units.get(kind=UnitKind.DISTRICT)
    assert district.parent.kind == UnitKind.CITY
    areas = units.filter(parent=district, kind__in=[UnitKind.STREET, UnitKind.TOWNSHIP])
    assert areas.count() >= 6
    assert {a.kind for a in areas} == {UnitKind.STREET, UnitKind.TOWNSHIP}
    assert units.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE], parent__in=areas).count() >= 30
    assert units.filter(kind=UnitKind.VILLAGE).exists()
    campaign = Campaign.objects.get(root_unit=district)
    departments = units.filter(kind=UnitKind.DEPARTMENT, parent=district).exclude(pk=campaign.office_unit_id)
    assert departments.count() >= 20
    for department in departments:
        assert 1 <= department.children.filter(kind=UnitKind.SECTION).count() <= 3, department
    assert campaign.office_unit.children.filter(name="督查组").exists()
    assert units.filter(kind=UnitKind.SCHOOL).count() >= 2
    assert units.filter(kind=UnitKind.ENTERPRISE).count() >= 2
    assert Person.objects.count() >= 150
    assert Person.objects.filter(position="网格员").exists()
    assert Person.objects.filter(unit__in=departments, position="联络员").count() == departments.count()


def test_units_are_found_by_the_names_spreadsheets_use(logins):
    bureau = Unit.objects.get(name="明澜区城市管理局")
    assert UnitAlias.objects.filter(unit=bureau).exists()
    for written in ("明澜区城市管理局", "区城管局", "城管局", "区城市管理局"):
        assert Unit.objects.find_by_name(written) == bureau
    assert Unit.objects.find_by_name("区创建办").kind == UnitKind.DEPARTMENT


def test_it_loads_grids_roads_with_road_chiefs_and_adoptions(logins):
    for community in Unit.objects.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE]):
        grids = community.grids.all()
        assert 2 <= len(grids) <= 4, community
        assert all(grid.staff.filter(position="网格员").exists() for grid in grids)
    assert Road.objects.count() >= 12
    assert not Road.objects.filter(chief_person=None).exists()
    assert Road.objects.filter(sections__isnull=False).distinct().count() >= 3
    assert not RoadSection.objects.filter(chief_person=None).exists()
    kinds = set(Adoption.objects.values_list("kind", flat=True))
    assert kinds == {AdoptionKind.UNIT_COMPOUND, AdoptionKind.CADRE_BUILDING, AdoptionKind.FRONTAGE}
    cadre = Adoption.objects.filter(kind=AdoptionKind.CADRE_BUILDING).first()
    assert cadre.adopter_person.unit == cadre.adopter_unit


def test_the_campaign_has_four_phases_a_command_structure_and_eight_working_groups(logins):
    today = timezone.localdate()
    campaign = Campaign.objects.current()
    assert campaign.year == today.year
    assert campaign.office_unit.kind == UnitKind.DEPARTMENT
    assert campaign.cycle_start <= campaign.year <= campaign.cycle_end
    phases = list(campaign.phases.order_by("seq"))
    assert [p.name for p in phases] == [
        "宣传发动、营造氛围",
        "突出重点、整体推进",
        "巩固提高、全面达标",
        "考核验收、迎检达标",
    ]
    for before, after in zip(phases, phases[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    assert all(p.lead_unit_id and 2 <= p.tasks.count() <= 4 for p in phases)
    assert [p.status(today) for p in phases].count("current") == 1
    assert campaign.current_phase(today) is not None
    assert 60 <= campaign.days_to_inspection(today) <= 120
    titles = list(campaign.command_posts.values_list("title", flat=True))
    assert titles == ["指挥长", "副指挥长", "副指挥长", "办公室主任"]
    groups = list(campaign.working_groups.all())
    assert [g.name for g in groups] == [name for name, *_ in WORKING_GROUPS]
    assert all(g.responsible_id and g.duties and g.members.exists() for g in groups)


def test_running_it_twice_changes_nothing(logins):
    before = _snapshot()
    entries = AuditEntry.objects.count()
    assert AuditEntry.objects.filter(action="demo.load").count() == 1
    assert load_demo() == logins
    assert _snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_every_role_has_a_demo_login_that_can_sign_in(logins):
    held = set(
        Membership.objects.filter(user__username__in=[u for u, _, _ in logins]).values_list("role", flat=True)
    )
    assert held == set(Role.values)
    for username, password, label in logins:
        assert label
        validate_password(password)
        user = User.objects.get(username=username)
        assert user.person.name == user.display_name
        client = Client()
        assert client.login(request=HttpRequest(), username=username, password=password), username
        response = Client().post(reverse("accounts:login"), {"username": username, "password": password})
        assert response.status_code == 302, username


def test_the_sibling_street_liaison_sees_nothing_of_the_first_street(logins):
    liaison, sibling = User.objects.get(username="liaison"), User.objects.get(username="liaison_b")
    street = liaison.memberships.get().unit
    people_of_street = Person.objects.filter(unit__path__startswith=street.path)
    assert scoped(people_of_street, liaison).count() == people_of_street.count() > 0
    assert not scoped(people_of_street, sibling).exists()


def _assert_paths_consistent() -> None:
    units = {unit.pk: unit for unit in Unit.objects.all()}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else "/"
        assert unit.path == f"{parent_path}{unit.pk}/", unit
        assert unit.depth == unit.path.count("/") - 2


def test_the_unit_tree_paths_are_consistent(logins):
    _assert_paths_consistent()


def test_no_invented_name_is_taken_from_the_seed_plans(logins):
    if not SEEDS.is_dir():
        pytest.skip("the seed plans are not beside the repository")
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    places = Unit.objects.exclude(kind=UnitKind.SECTION)
    names = set(Person.objects.values_list("name", flat=True))
    names |= set(places.values_list("name", flat=True))
    names |= set(
        places.exclude(kind=UnitKind.DEPARTMENT).exclude(short_name="").values_list("short_name", flat=True)
    )
    names |= set(Road.objects.values_list("name", flat=True))
    names |= set(Grid.objects.values_list("name", flat=True))
    names |= set(Adoption.objects.values_list("target_name", flat=True))
    assert len(names) > 500
    assert sorted(name for name in names if name in text) == []


def test_loading_again_puts_back_a_demo_street_somebody_moved_and_keeps_paths_right(logins):
    from chuangwen.org.services import move_subtree

    street, sibling = Unit.objects.get(code="ML-S01"), Unit.objects.get(code="ML-S02")
    old = street.path
    street.parent = sibling
    street.save()
    move_subtree(old, street.path)
    load_demo()
    street.refresh_from_db()
    assert street.parent.kind == UnitKind.DISTRICT
    assert street.path == old
    _assert_paths_consistent()
