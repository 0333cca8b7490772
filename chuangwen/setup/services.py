"""First-run setup: from an empty database to a running campaign, without the admin site.

Both `chuangwen setup` (terminal, options or a TOML file) and the setup page walk these steps.
A step's state is read from the database, never stored apart, so setup can be left at any
point and resumed (from the page or the command) where the data says it stands:

1. the root unit (city, district or county) and the campaign office unit below it;
2. the first office admin;
3. the campaign: name, level, year, inspection date, phases with dates;
4. the reference catalogues: problem categories, point types and checklists, the evaluation
   system (the shipped ones, or one's own through the existing importers);
5. the unit tree (the unit import, or units entered by hand);
6. people and roles.

Every write goes through the services that own the data (org import, indicators import,
campaigns, the reference loaders) and is audited there or here.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.accounts.security import generate_password
from chuangwen.audit.services import log_action
from chuangwen.campaigns import services as campaign_services
from chuangwen.campaigns.models import Campaign
from chuangwen.campaigns.services import PhaseSpec
from chuangwen.core.errors import DomainError
from chuangwen.core.text import normalize_phone
from chuangwen.indicators.importing import IndicatorRow, IndicatorTable
from chuangwen.indicators.models import EvaluationSystem, SystemLevel
from chuangwen.indicators.parsing import parse_methods
from chuangwen.indicators.services import import_indicators
from chuangwen.inspections.models import Round
from chuangwen.org.importing import ImportResult, import_units
from chuangwen.org.models import Person, Unit, UnitKind
from chuangwen.points.models import ChecklistItem, DutyRoster, Point, PointType
from chuangwen.points.seed import seed_reference
from chuangwen.points.services import link_indicators
from chuangwen.problems.models import ProblemCategory
from chuangwen.problems.seed import load_categories
from chuangwen.tasks.models import Task

ROOT_KINDS = (UnitKind.CITY, UnitKind.DISTRICT)
INDICATORS_CSV = Path(__file__).resolve().parents[1] / "indicators" / "data" / "indicators_2015_excerpt.csv"
SHIPPED_SYSTEM_NAME = "全国文明城市测评体系（2015年版节选）"
CATALOGUES = ("categories", "checklists", "indicators")


@dataclass
class Step:
    key: str
    label: str
    done: bool
    detail: str = ""


def root_unit() -> Unit | None:
    """The top of the tree: the current campaign's territory, else the first unit without a parent."""
    campaign = Campaign.objects.current()
    if campaign is not None:
        return campaign.root_unit
    return Unit.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()


def office_unit(root: Unit | None) -> Unit | None:
    campaign = Campaign.objects.current()
    if campaign is not None and campaign.office_unit_id:
        return campaign.office_unit
    if root is None:
        return None
    return (
        Unit.objects.under(root, include_self=False).filter(kind=UnitKind.DEPARTMENT).order_by("path").first()
    )


def office_admins() -> list[User]:
    return list(
        User.objects.filter(memberships__role=Role.OFFICE_ADMIN, is_active=True).distinct().order_by("id")
    )


def steps() -> list[Step]:
    """Where setup stands, step by step, read from the data."""
    root = root_unit()
    campaign = Campaign.objects.current()
    admins = office_admins()
    below = Unit.objects.under(root, include_self=False).count() if root else 0
    people = Person.objects.count()
    roles = Membership.objects.exclude(role=Role.OFFICE_ADMIN).count()
    return [
        Step("root", _("Root unit"), root is not None, root.name if root else ""),
        Step("admin", _("Office admin"), bool(admins), "、".join(u.username for u in admins[:3])),
        Step("campaign", _("Campaign"), campaign is not None, campaign.name if campaign else ""),
        Step(
            "catalogues",
            _("Reference catalogues"),
            all(catalogue_counts().values()),
            "；".join(f"{CATALOGUE_LABELS[k]} {v}" for k, v in catalogue_counts().items()),
        ),
        # The office unit alone is not a tree: a tree has units to give work to.
        Step("units", _("Unit tree"), below > 1, _("%(count)d units below the root") % {"count": below}),
        Step(
            "people",
            _("People and roles"),
            people > 0 and roles > 0,
            _("%(people)d people, %(roles)d roles besides the office") % {"people": people, "roles": roles},
        ),
    ]


def next_step() -> str | None:
    return next((step.key for step in steps() if not step.done), None)


CATALOGUE_LABELS = {
    "categories": gettext_lazy("problem categories"),
    "point_types": gettext_lazy("point types"),
    "checklists": gettext_lazy("checklist items"),
    "indicators": gettext_lazy("evaluation systems"),
}


def catalogue_counts() -> dict[str, int]:
    return {
        "categories": ProblemCategory.objects.count(),
        "point_types": PointType.objects.count(),
        "checklists": ChecklistItem.objects.count(),
        "indicators": EvaluationSystem.objects.count(),
    }


@transaction.atomic
def create_root(
    actor: Any,
    *,
    name: str,
    code: str,
    kind: str,
    office_name: str = "",
    request: HttpRequest | None = None,
) -> tuple[Unit, Unit]:
    """The root unit (a city, district or county) and the campaign office unit below it."""
    name, code = name.strip(), code.strip()
    if root_unit() is not None:
        raise DomainError(_("The root unit exists already: %(name)s.") % {"name": root_unit()})
    if not name or not code:
        raise DomainError(_("Give the root unit a name and a code."))
    if kind not in ROOT_KINDS:
        raise DomainError(_("The root unit is a city or a district / county."))
    if Unit.objects.filter(code=code).exists():
        raise DomainError(_("The code %(code)s is taken by another unit.") % {"code": code})
    office_name = office_name.strip() or _("%(name)s campaign office") % {"name": name}
    root = Unit.objects.create(name=name, code=code, kind=kind)
    office_code = f"{code}-OFFICE"
    office = Unit.objects.create(
        name=office_name,
        short_name=_("Campaign office"),
        code=office_code,
        kind=UnitKind.DEPARTMENT,
        parent=root,
    )
    log_action(actor, "setup.root.create", root, {"name": name, "code": code, "kind": kind}, request=request)
    log_action(actor, "org.unit.create", office, {"name": office_name, "parent": root.pk}, request=request)
    return root, office


@transaction.atomic
def create_office_admin(
    actor: Any,
    *,
    username: str,
    display_name: str = "",
    phone: str = "",
    password: str = "",
    must_change: bool = True,
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """The first office admin: a login holding the office admin role in the office unit, and a
    person of that unit. A generated password is returned once and must be changed at sign-in."""
    office = office_unit(root_unit())
    if office is None:
        raise DomainError(_("Create the root unit first."))
    username = username.strip()
    if not username:
        raise DomainError(_("Give the office admin a username."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(name)s is taken.") % {"name": username})
    if phone and normalize_phone(phone) is None:
        raise DomainError(_("%(phone)s is not a valid phone number.") % {"phone": phone})
    phone = normalize_phone(phone) or ""
    generated = not password
    password = password or generate_password()
    user = User(username=username, display_name=display_name.strip(), phone=phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.must_change_password = must_change or generated
    user.save()
    Membership.objects.create(user=user, unit=office, role=Role.OFFICE_ADMIN)
    Person.objects.create(
        name=display_name.strip() or username, phone=phone, position=_("Office admin"), unit=office, user=user
    )
    log_action(
        actor,
        "accounts.user.create",
        user,
        {"username": username, "membership": f"{office.name} · {Role.OFFICE_ADMIN.label}", "setup": True},
        request=request,
    )
    return user, password


@transaction.atomic
def make_office_admin(actor: User, request: HttpRequest | None = None) -> Membership:
    """The signed-in superuser becomes the office admin (a superuser has no unit otherwise,
    so the home page would say it holds no role)."""
    office = office_unit(root_unit())
    if office is None:
        raise DomainError(_("Create the root unit first."))
    membership, created = Membership.objects.get_or_create(user=actor, unit=office, role=Role.OFFICE_ADMIN)
    if not Person.objects.filter(user=actor).exists():
        # Like an office admin created here, the superuser becomes a person of the office.
        Person.objects.create(
            name=actor.display_name or actor.username,
            phone=actor.phone,
            position=_("Office admin"),
            unit=office,
            user=actor,
        )
    if created:
        log_action(
            actor,
            "accounts.membership.add",
            actor,
            {"unit": office.name, "role": Role.OFFICE_ADMIN},
            request=request,
        )
    return membership


def create_campaign(
    actor: Any,
    *,
    name: str,
    level: str,
    year: int,
    inspection_start: dt.date,
    inspection_end: dt.date | None = None,
    phases: list[PhaseSpec] | None = None,
    start: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Campaign:
    """The campaign over the root unit; without phases, the four standard ones from `start`
    (default today) to the inspection date, each with the deliverables plans ask for."""
    root = root_unit()
    if root is None:
        raise DomainError(_("Create the root unit first."))
    if Campaign.objects.exists():
        raise DomainError(_("A campaign exists already: edit it on the campaign page."))
    if phases is None:
        phases = campaign_services.standard_phases(start or dt.date.today(), inspection_start)
    return campaign_services.create_campaign(
        actor,
        name=name,
        year=year,
        level=level,
        root_unit=root,
        office_unit=office_unit(root),
        inspection_start=inspection_start,
        inspection_end=inspection_end,
        phases=phases,
        request=request,
    )


def shipped_indicator_table() -> IndicatorTable:
    """The shipped excerpt of the evaluation system (Ⅰ → Ⅱ → Ⅲ with methods) as an import table."""
    table = IndicatorTable()
    seen: set[str] = set()
    with INDICATORS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            for level, parent in ((1, ""), (2, row["level1_code"])):
                code = row[f"level{level}_code"]
                if code not in seen:
                    seen.add(code)
                    table.indicators.append(
                        IndicatorRow(row_number, level, code, row[f"level{level}_name"], parent)
                    )
            methods, _unknown = parse_methods(row["methods"])
            table.indicators.append(
                IndicatorRow(
                    row_number,
                    3,
                    row["level3_code"],
                    row["level3_name"],
                    row["level2_code"],
                    row["standard"],
                    methods,
                )
            )
            table.rows_read += 1
    return table


def load_catalogues(
    actor: Any, which: tuple[str, ...] = CATALOGUES, request: HttpRequest | None = None
) -> dict[str, str]:
    """Load the shipped catalogues that are still missing (existing rows and edits are kept)."""
    unknown = set(which) - set(CATALOGUES)
    if unknown:
        raise DomainError(_("Unknown catalogue: %(names)s") % {"names": "、".join(sorted(unknown))})
    done: dict[str, str] = {}
    with transaction.atomic():
        if "categories" in which:
            done["categories"] = str(load_categories(ProblemCategory))
        if "indicators" in which and not EvaluationSystem.objects.exists():
            campaign = Campaign.objects.current()
            level = SystemLevel.COUNTY if campaign and campaign.level == "county" else SystemLevel.PREFECTURE
            system = EvaluationSystem(
                name=SHIPPED_SYSTEM_NAME, edition="2015", level=level, campaign=campaign
            )
            result = import_indicators(shipped_indicator_table(), system, actor, request=request)
            done["indicators"] = str(result.created)
        if "checklists" in which:
            types, items = seed_reference(PointType, ChecklistItem)
            done["checklists"] = f"{types}/{items}"
        log_action(actor, "setup.catalogues.load", None, done, request=request, object_repr="catalogues")
    if "checklists" in which:
        # Checklist items name their Ⅲ item; link them once both catalogues are there.
        link_indicators(actor, Campaign.objects.current(), request=request)
    return done


def import_unit_tree(
    actor: Any,
    source: str | Path | bytes | IO[bytes],
    *,
    filename: str = "",
    commit: bool = True,
    request: HttpRequest | None = None,
) -> ImportResult:
    """The unit tree (and people) from the office's roster, through the unit import."""
    return import_units(source, commit=commit, actor=actor, request=request, filename=filename)


@dataclass
class Gap:
    """Something a running campaign needs that is still empty, with where to fill it."""

    key: str
    label: str
    url: str
    extra: dict[str, Any] = field(default_factory=dict)


def gaps() -> list[Gap]:
    """What is still empty after setup (no points, no tasks, no duty rosters…)."""
    campaign = Campaign.objects.current()
    if campaign is None:
        return [Gap("campaign", _("Set up the campaign"), reverse("setup:index"))]
    root = campaign.root_unit
    checks = [
        (
            "units",
            Unit.objects.under(root, include_self=False).count() > 1,
            _("No unit tree yet"),
            "org:import",
        ),
        ("people", Person.objects.exists(), _("No people yet"), "org:people"),
        (
            "roles",
            Membership.objects.exclude(role=Role.OFFICE_ADMIN).exists(),
            _("No roles given yet"),
            "accounts:users",
        ),
        ("indicators", EvaluationSystem.objects.exists(), _("No evaluation system yet"), "indicators:import"),
        ("tasks", Task.objects.filter(campaign=campaign).exists(), _("No tasks yet"), "tasks:import"),
        ("checklists", ChecklistItem.objects.exists(), _("No checklists yet"), "points:types"),
        ("points", Point.objects.exists(), _("No points yet"), "points:new"),
        (
            "inspectors",
            Membership.objects.filter(role=Role.INSPECTOR).exists(),
            _("No inspectors yet"),
            "accounts:user_new",
        ),
        (
            "rounds",
            Round.objects.filter(campaign=campaign).exists(),
            _("No inspection round yet"),
            "inspections:round_new",
        ),
        ("rosters", DutyRoster.objects.exists(), _("No duty rosters yet"), "points:roster_new"),
        ("groups", campaign.working_groups.exists(), _("No working groups yet"), "campaigns:groups"),
    ]
    return [Gap(key, str(label), reverse(url)) for key, filled, label, url in checks if not filled]
