from __future__ import annotations

import datetime as dt

import pytest

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.audit.models import AuditEntry
from chuangwen.campaigns.models import Campaign, PhaseTask
from chuangwen.campaigns.services import PhaseSpec
from chuangwen.core.errors import DomainError
from chuangwen.indicators.models import EvaluationSystem, Indicator
from chuangwen.org.models import Person, Unit, UnitKind
from chuangwen.points.models import ChecklistItem
from chuangwen.setup import services

pytestmark = pytest.mark.django_db
INSPECTION = dt.date.today() + dt.timedelta(days=200)


def _done() -> dict[str, bool]:
    return {step.key: step.done for step in services.steps()}


def _root_and_admin() -> None:
    services.create_root(
        "setup", name="青石区", code="330106", kind=UnitKind.DISTRICT, office_name="青石区文明办"
    )
    services.create_office_admin("setup", username="wmb", display_name="王主任", phone="13800000000")


def test_an_empty_database_has_every_step_to_do():
    assert services.root_unit() is None
    assert _done() == dict.fromkeys(("root", "admin", "campaign", "catalogues", "units", "people"), False)
    assert [gap.key for gap in services.gaps()] == ["campaign"]


def test_it_creates_the_root_unit_with_the_campaign_office_below_it():
    root, office = services.create_root(
        "setup", name="青石区", code="330106", kind=UnitKind.DISTRICT, office_name="青石区文明办"
    )
    assert root.parent is None and office.parent == root and office.kind == UnitKind.DEPARTMENT
    assert services.root_unit() == root
    assert _done()["root"]
    assert AuditEntry.objects.filter(action="setup.root.create", object_id=str(root.pk)).exists()


def test_a_second_root_is_refused_with_a_reason():
    services.create_root("setup", name="青石区", code="330106", kind=UnitKind.DISTRICT)
    with pytest.raises(DomainError, match="root unit exists"):
        services.create_root("setup", name="别的区", code="X1", kind=UnitKind.DISTRICT)
    assert Unit.objects.count() == 2


def test_a_code_taken_by_an_old_unit_is_refused_with_a_reason():
    Unit.objects.create(name="旧单位", code="330106", kind=UnitKind.OTHER, is_active=False)
    with pytest.raises(DomainError, match="330106 is taken"):
        services.create_root("setup", name="青石区", code="330106", kind=UnitKind.DISTRICT)


def test_the_root_must_be_a_city_or_a_district():
    with pytest.raises(DomainError, match="city or a district"):
        services.create_root("setup", name="某街道", code="S1", kind=UnitKind.STREET)
    assert not Unit.objects.exists()


def test_the_first_office_admin_gets_the_role_in_the_office_and_a_person_record():
    _root_and_admin()
    user = User.objects.get(username="wmb")
    office = services.office_unit(services.root_unit())
    assert Membership.objects.filter(user=user, unit=office, role=Role.OFFICE_ADMIN).exists()
    assert Person.objects.get(user=user).unit == office
    assert user.must_change_password, "a generated password is replaced at first sign-in"
    assert _done()["admin"]


def test_a_weak_password_for_the_office_admin_is_refused_and_nothing_is_written():
    services.create_root("setup", name="青石区", code="330106", kind=UnitKind.DISTRICT)
    with pytest.raises(DomainError):
        services.create_office_admin("setup", username="wmb", password="123")
    assert not User.objects.filter(username="wmb").exists()
    assert not Person.objects.exists()


def test_the_campaign_gets_the_standard_phases_with_their_deliverables():
    _root_and_admin()
    campaign = services.create_campaign(
        "setup", name="青石区2027年度创建工作", level="county", year=2027, inspection_start=INSPECTION
    )
    phases = list(campaign.phases.order_by("seq"))
    assert [p.name for p in phases][0] == "宣传发动、营造氛围" and len(phases) == 4
    assert phases[0].start == dt.date.today() and phases[-1].end == INSPECTION
    assert all(a.end < b.start for a, b in zip(phases, phases[1:], strict=False)), "phases do not overlap"
    first = PhaseTask.objects.filter(phase=phases[0])
    assert first.count() == 4 and all(
        d.unit == campaign.office_unit and d.due == phases[0].end for d in first
    )
    assert campaign.is_current and campaign.root_unit == services.root_unit()


def test_phases_given_with_their_dates_are_kept_as_given():
    _root_and_admin()
    spec = [
        PhaseSpec("动员", dt.date(2027, 1, 1), dt.date(2027, 2, 1)),
        PhaseSpec("迎检", dt.date(2027, 2, 2), INSPECTION),
    ]
    campaign = services.create_campaign(
        "setup", name="测试", level="county", year=2027, inspection_start=INSPECTION, phases=spec
    )
    assert list(campaign.phases.values_list("name", "start")) == [
        ("动员", dt.date(2027, 1, 1)),
        ("迎检", dt.date(2027, 2, 2)),
    ]


def test_a_campaign_is_created_once_and_needs_the_root_first():
    with pytest.raises(DomainError, match="root unit first"):
        services.create_campaign("setup", name="x", level="county", year=2027, inspection_start=INSPECTION)
    _root_and_admin()
    services.create_campaign("setup", name="x", level="county", year=2027, inspection_start=INSPECTION)
    with pytest.raises(DomainError, match="exists already"):
        services.create_campaign("setup", name="y", level="county", year=2027, inspection_start=INSPECTION)
    assert Campaign.objects.count() == 1


def test_an_inspection_too_close_to_spread_the_phases_is_refused():
    _root_and_admin()
    with pytest.raises(DomainError, match="more than a week"):
        services.create_campaign(
            "setup",
            name="x",
            level="county",
            year=2027,
            inspection_start=dt.date.today() + dt.timedelta(days=3),
        )
    assert not Campaign.objects.exists()


def test_the_shipped_catalogues_load_once_and_link_checklists_to_the_evaluation_system():
    _root_and_admin()
    services.create_campaign("setup", name="x", level="county", year=2027, inspection_start=INSPECTION)
    services.load_catalogues("setup")
    system = EvaluationSystem.objects.get()
    assert system.campaign == Campaign.objects.current()
    assert Indicator.objects.filter(system=system, level=3).count() == 14
    assert ChecklistItem.objects.filter(indicator__isnull=False).exists(), (
        "items name a Ⅲ item of the excerpt"
    )
    counts = services.catalogue_counts()
    services.load_catalogues("setup")
    assert services.catalogue_counts() == counts, "loading again adds nothing"
    assert _done()["catalogues"]


def test_an_unknown_catalogue_is_named_in_the_error():
    with pytest.raises(DomainError, match="bulletins"):
        services.load_catalogues("setup", ("bulletins",))


def test_what_is_still_empty_is_listed_until_it_is_filled():
    _root_and_admin()
    services.create_campaign("setup", name="x", level="county", year=2027, inspection_start=INSPECTION)
    keys = {gap.key for gap in services.gaps()}
    assert {"units", "tasks", "points", "rosters", "inspectors", "groups"} <= keys
    root = services.root_unit()
    Unit.objects.create(name="甲街道", code="S-1", kind=UnitKind.STREET, parent=root)
    Unit.objects.create(name="乙街道", code="S-2", kind=UnitKind.STREET, parent=root)
    inspector = User.objects.create_user("insp")
    Membership.objects.create(user=inspector, unit=root, role=Role.INSPECTOR)
    keys = {gap.key for gap in services.gaps()}
    assert "units" not in keys and "inspectors" not in keys and "roles" not in keys
    assert "points" in keys
