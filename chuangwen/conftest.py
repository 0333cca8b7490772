"""The shared test base: a small district and named users, one per role.

`world` is the cast every test can use:
- office: the campaign office admin (sees everything)
- leader: a district leader (sees everything, changes little)
- liaison_a / unit_admin_a / duty_a / enumerator_a: people of street A (see A and below)
- liaison_b: the liaison of sibling street B, who must see nothing of A
- inspector: an inspector of the supervision team under the office unit
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import translation

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.campaigns.models import Campaign, Phase
from chuangwen.org.models import Person, Unit, UnitKind

PASSWORD = "Cw-test-Passw0rd!"
ROLES = (
    "anonymous",
    "office",
    "leader",
    "liaison_a",
    "liaison_b",
    "inspector",
    "unit_admin_a",
    "duty_a",
    "enumerator_a",
)


@dataclass
class World:
    district: Unit
    office_unit: Unit
    inspection_team: Unit
    street_a: Unit
    street_b: Unit
    community_a: Unit
    community_b: Unit
    department: Unit
    campaign: Campaign
    users: dict[str, User] = field(default_factory=dict)
    person_a: Person | None = None
    person_b: Person | None = None

    def __getattr__(self, name: str) -> User:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def client(self, role: str) -> Client:
        """A test client signed in as the role (anonymous: not signed in)."""
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def make_user(username: str, unit: Unit | None = None, role: str | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def build_world() -> World:
    city = Unit.objects.create(name="云川市", code="C0", kind=UnitKind.CITY)
    district = Unit.objects.create(name="青石区", code="D1", kind=UnitKind.DISTRICT, parent=city)
    office_unit = Unit.objects.create(
        name="青石区创建办", short_name="创建办", code="D1-OFF", kind=UnitKind.DEPARTMENT, parent=district
    )
    team = Unit.objects.create(name="督查组", code="D1-OFF-INS", kind=UnitKind.SECTION, parent=office_unit)
    street_a = Unit.objects.create(name="松林街道", code="S-A", kind=UnitKind.STREET, parent=district)
    street_b = Unit.objects.create(name="柳岸街道", code="S-B", kind=UnitKind.STREET, parent=district)
    community_a = Unit.objects.create(
        name="松林一社区", code="S-A-1", kind=UnitKind.COMMUNITY, parent=street_a
    )
    community_b = Unit.objects.create(
        name="柳岸一社区", code="S-B-1", kind=UnitKind.COMMUNITY, parent=street_b
    )
    department = Unit.objects.create(
        name="青石区商务局", short_name="商务局", code="D1-SW", kind=UnitKind.DEPARTMENT, parent=district
    )
    today = dt.date.today()
    campaign = Campaign.objects.create(
        name="青石区2026年度创建工作",
        year=today.year,
        root_unit=district,
        office_unit=office_unit,
        inspection_start=today + dt.timedelta(days=40),
        inspection_end=today + dt.timedelta(days=70),
        is_current=True,
    )
    Phase.objects.create(
        campaign=campaign,
        seq=1,
        name="宣传发动",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=10),
        lead_unit=office_unit,
    )
    world = World(
        district, office_unit, team, street_a, street_b, community_a, community_b, department, campaign
    )
    world.users = {
        "office": make_user("office", office_unit, Role.OFFICE_ADMIN),
        "leader": make_user("leader", district, Role.LEADER),
        "liaison_a": make_user("liaison_a", street_a, Role.LIAISON),
        "liaison_b": make_user("liaison_b", street_b, Role.LIAISON),
        "inspector": make_user("inspector", team, Role.INSPECTOR),
        "unit_admin_a": make_user("unit_admin_a", street_a, Role.UNIT_ADMIN),
        "duty_a": make_user("duty_a", community_a, Role.DUTY_STAFF),
        "enumerator_a": make_user("enumerator_a", community_a, Role.ENUMERATOR),
    }
    world.person_a = Person.objects.create(
        name="林小松", phone="13800000001", position="网格员", unit=community_a
    )
    world.person_b = Person.objects.create(
        name="柳小岸", phone="13800000002", position="网格员", unit=community_b
    )
    return world


@pytest.fixture(autouse=True)
def _fast_and_immediate(settings):
    """Cheap password hashing (Argon2 is slow by design) and huey tasks run inline."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    # Per-process caches (grids, holidays, categories) must not carry rows of an earlier test,
    # whose ids the next test's database may reuse for other rows.
    from chuangwen.problems.calendar import forget_calendar
    from chuangwen.problems.queries import forget_categories
    from chuangwen.problems.routing import forget_grids

    forget_calendar()
    forget_grids()
    forget_categories()
    # Tests assert behaviour against the English msgids; the Chinese interface (the default
    # language in production) is proven by the tests that ask for the `chinese` fixture.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def reseed_reference_data() -> None:
    """What the data migrations put in a new database: problem categories and holidays, point
    types and checklists, the audit chain's head row (the loaders are idempotent)."""
    from chuangwen.audit.models import AuditHead
    from chuangwen.points.models import ChecklistItem, PointType
    from chuangwen.points.seed import seed_reference
    from chuangwen.problems.models import CalendarDay, ProblemCategory
    from chuangwen.problems.seed import load_categories, load_holidays

    AuditHead.objects.get_or_create(pk=1)
    load_categories(ProblemCategory)
    load_holidays(CalendarDay)
    seed_reference(PointType, ChecklistItem)


def _flushes(item: pytest.Item) -> bool:
    """Whether the test ran in a transactional database, which is flushed at its end."""
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server", "browser"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """A transactional test (live server, browser, threads) ends by flushing every table,
    which also empties the reference data the migrations seeded. A serial run orders those
    tests last; under pytest-xdist a worker runs whole files in turn, so a later file would
    find no categories or point types. Once the test's fixtures are torn down (the flush
    included), put them back."""
    yield
    if nextitem is not None and _flushes(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed_reference_data()


@pytest.fixture
def chinese(settings):
    """Run the test in the product's default interface language, zh-hans."""
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def world(db) -> World:
    return build_world()
