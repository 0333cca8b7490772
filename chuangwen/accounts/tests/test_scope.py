"""The scoping helper: what each user may see, decided in one place."""

from __future__ import annotations

import pytest
from django.http import Http404

from chuangwen.accounts.models import Membership, Role
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.campaigns.models import Campaign
from chuangwen.conftest import make_user
from chuangwen.org.models import Person, Road, Unit, UnitKind


def names(qs) -> set[str]:
    return {str(obj) for obj in qs}


def test_a_sibling_street_sees_nothing_of_street_a(world):
    liaison_b = world.liaison_b
    assert not scoped(
        Unit.objects.filter(pk__in=[world.street_a.pk, world.community_a.pk]), liaison_b
    ).exists()
    assert not scoped(Person.objects.filter(unit=world.community_a), liaison_b).exists()
    with pytest.raises(Http404):
        get_scoped_or_404(Person.objects.all(), liaison_b, pk=world.person_a.pk)
    assert get_scoped_or_404(Person.objects.all(), liaison_b, pk=world.person_b.pk) == world.person_b


def test_a_membership_of_a_parent_reaches_its_children(world):
    units = scoped(Unit.objects.all(), world.liaison_a)
    assert names(units) == {"松林街道", "松林一社区"}
    assert names(scoped(Person.objects.all(), world.liaison_a)) == {"林小松"}


def test_a_membership_of_a_child_does_not_reach_its_parent(world):
    assert names(scoped(Unit.objects.all(), world.duty_a)) == {"松林一社区"}


def test_the_office_and_leaders_see_everything(world):
    everything = set(Unit.objects.values_list("name", flat=True))
    for user in (world.office, world.leader):
        assert scope_for(user).everything
        assert names(scoped(Unit.objects.all(), user)) == everything
        assert scoped(Person.objects.all(), user).count() == 2


def test_a_superuser_sees_everything_without_memberships(world):
    root = make_user("root", is_superuser=True)
    assert scoped(Unit.objects.all(), root).count() == Unit.objects.count()


def test_memberships_in_several_units_add_up(world):
    Membership.objects.create(user=world.liaison_a, unit=world.department, role=Role.LIAISON)
    assert names(scoped(Unit.objects.all(), make_fresh(world.liaison_a))) == {
        "松林街道",
        "松林一社区",
        "青石区商务局",
    }


def test_a_campaign_for_an_ancestor_unit_is_visible_below_it(world):
    # "^root_unit": the district's campaign reaches a community inside the district.
    assert list(scoped(Campaign.objects.all(), world.duty_a)) == [world.campaign]
    other_district = Unit.objects.create(
        name="白河区", code="D2", kind=UnitKind.DISTRICT, parent=world.district.parent
    )
    elsewhere = Campaign.objects.create(name="白河区2026年度创建工作", year=2026, root_unit=other_district)
    assert elsewhere not in scoped(Campaign.objects.all(), world.duty_a)
    # A campaign run for the street itself is visible to its community too, and to the street.
    street_campaign = Campaign.objects.create(name="松林街道创建", year=2026, root_unit=world.street_a)
    assert street_campaign in scoped(Campaign.objects.all(), world.duty_a)
    assert street_campaign in scoped(Campaign.objects.all(), world.liaison_a)
    assert street_campaign not in scoped(Campaign.objects.all(), world.liaison_b)
    # A campaign for a unit *below* one's own is visible as well (the subtree part of the lookup).
    community_campaign = Campaign.objects.create(
        name="松林一社区创建", year=2026, root_unit=world.community_a
    )
    assert community_campaign in scoped(Campaign.objects.all(), world.liaison_a)


def test_a_tuple_scope_field_matches_on_any_of_its_lookups(world):
    # A road in street B whose road chief is street A: both streets see it.
    road = Road.objects.create(name="柳岸大道", unit=world.street_b, chief_unit=world.street_a)
    other = Road.objects.create(name="柳岸小路", unit=world.street_b, chief_unit=world.street_b)
    assert list(scoped(Road.objects.all(), world.liaison_a)) == [road]
    assert set(scoped(Road.objects.all(), world.liaison_b)) == {road, other}
    assert list(scoped(Road.objects.all(), world.duty_a)) == []  # a community is below the chief
    assert scoped(Road.objects.all(), world.liaison_a).count() == 1  # no duplicate rows


def test_an_inactive_user_sees_nothing(world):
    user = world.office
    user.is_active = False
    user.save()
    user = make_fresh(user)
    assert scope_for(user) == scope_for(None)
    assert not scoped(Unit.objects.all(), user).exists()
    assert not scoped(Campaign.objects.all(), user).exists()


def test_an_anonymous_visitor_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scoped(Unit.objects.all(), AnonymousUser()).exists()


def test_a_user_without_memberships_sees_nothing(world):
    assert not scoped(Unit.objects.all(), make_user("nobody")).exists()


def test_a_scope_limited_to_roles_counts_only_those_memberships(world):
    user = world.unit_admin_a
    Membership.objects.create(user=user, unit=world.department, role=Role.LIAISON)
    user = make_fresh(user)
    assert names(scoped(Unit.objects.all(), user, roles=[Role.UNIT_ADMIN])) == {"松林街道", "松林一社区"}
    assert "青石区商务局" in names(scoped(Unit.objects.all(), user))
    # A leader's campaign-wide reach does not make it a unit admin everywhere.
    Membership.objects.create(user=user, unit=world.district, role=Role.LEADER)
    user = make_fresh(user)
    assert scope_for(user).everything
    assert not scope_for(user, [Role.UNIT_ADMIN]).everything


def test_the_scope_is_computed_once_per_user_object(world, django_assert_num_queries):
    user = make_fresh(world.liaison_a)
    with django_assert_num_queries(1):
        scope_for(user)
        scope_for(user)


def make_fresh(user):
    """The same user without the per-object caches (as the next request would load it)."""
    return type(user).objects.get(pk=user.pk)
