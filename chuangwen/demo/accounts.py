"""Demo logins, one or more per role, each linked to a demo person."""

from __future__ import annotations

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.demo.base import DEMO_PASSWORD, DemoContext
from chuangwen.demo.org import DISTRICT, INSPECTION_TEAM, OFFICE
from chuangwen.org.models import Person, Unit, UnitKind

STREET_A = "ML-S01"
STREET_B = "ML-S02"
COMMUNITY_A = "ML-S01-01"

# The one login that opens Django's admin site (/admin/): a maintenance login, no role in a unit.
ADMIN_LOGIN = "admin"
ADMIN_LABEL = "系统管理员（仅用于管理后台 /admin/）"

# (username, role, unit, person key, Chinese label).
LOGINS: tuple[tuple[str, str, str, str, str], ...] = (
    ("office", Role.OFFICE_ADMIN, OFFICE, f"{OFFICE}-ZH:admin", "创建办管理员"),
    ("leader", Role.LEADER, DISTRICT, f"{DISTRICT}:deputy", "区领导"),
    ("unit_admin", Role.UNIT_ADMIN, STREET_A, f"{STREET_A}:deputy", "街道单位管理员"),
    ("liaison", Role.LIAISON, STREET_A, f"{STREET_A}:liaison", "街道联络员"),
    ("liaison_b", Role.LIAISON, STREET_B, f"{STREET_B}:liaison", "兄弟街道联络员"),
    ("community", Role.LIAISON, COMMUNITY_A, f"{COMMUNITY_A}:liaison", "社区信息员"),
    ("inspector", Role.INSPECTOR, INSPECTION_TEAM, f"{INSPECTION_TEAM}:inspector1", "督查员"),
    ("duty", Role.DUTY_STAFF, COMMUNITY_A, f"{COMMUNITY_A}:grid1", "值守人员/网格员"),
    ("enumerator", Role.ENUMERATOR, STREET_A, f"{STREET_A}:enumerator", "问卷调查员"),
)


def _link_person(user: User, person: Person) -> None:
    if person.user_id == user.pk:
        return
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)  # one person per login
    person.user = user
    person.save(update_fields=["user"])


def _where(unit: Unit) -> str:
    """区创建办督查组, 区创建办, 鹭湾街道: how an office would say where somebody works."""
    if unit.kind == UnitKind.SECTION:
        return f"{unit.parent.display_name}{unit.name}"
    return unit.display_name if unit.kind == UnitKind.DEPARTMENT else unit.name


def load(ctx: DemoContext) -> None:
    """Create the demo users (the password is set only when a user is created, so a password
    somebody changed is kept), their memberships and their link to a person."""
    for username, role, unit_code, person_key, label in LOGINS:
        person = ctx.person(person_key)
        unit = ctx.unit(unit_code)
        user = User.objects.filter(username=username).first()
        if user is None:
            # Nobody here is a superuser: the office runs the campaign through its role, as a real
            # office does; Django's admin site has its own login (ADMIN_LOGIN).
            user = User(username=username, display_name=person.name, phone=person.phone, is_active=True)
            user.set_password(DEMO_PASSWORD)
            user.save()
            ctx.created[User._meta.label] += 1
        elif user.is_superuser or user.is_staff:
            # Demo databases from before kept the office login as a superuser.
            user.is_superuser = user.is_staff = False
            user.save(update_fields=["is_superuser", "is_staff"])
        _, made = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        ctx.created[Membership._meta.label] += int(made)
        _link_person(user, person)
        ctx.logins.append((username, DEMO_PASSWORD, f"{label}（{_where(unit)}）"))

    _load_admin(ctx)


def _load_admin(ctx: DemoContext) -> None:
    """The superuser of the demo, kept apart from the office so that what the office sees and
    does is what a real office admin (who is no superuser) sees and does."""
    user = User.objects.filter(username=ADMIN_LOGIN).first()
    if user is None:
        user = User(
            username=ADMIN_LOGIN, display_name="系统管理员", is_active=True, is_staff=True, is_superuser=True
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        ctx.created[User._meta.label] += 1
    ctx.logins.append((ADMIN_LOGIN, DEMO_PASSWORD, ADMIN_LABEL))
