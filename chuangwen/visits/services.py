"""Visit transitions: importing the 五长 and their households, opening a round, recording a
visit from the phone (idempotent per key), turning an opinion into a problem; coverage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.excel import (
    SpreadsheetError,
    cell_text,
    column_letter,
    find_header,
    is_blank,
    read_workbook,
)
from chuangwen.core.roles import Role
from chuangwen.materials.uploads import StoredFiles, check_uploads
from chuangwen.org.models import Grid, Unit
from chuangwen.problems.models import Source
from chuangwen.problems.services import report
from chuangwen.visits.models import Household, Outcome, Steward, StewardRole, Visit, VisitRound

# ---------------------------------------------------------------- who sees which grid


def grid_limited(user: Any) -> bool:
    """A grid's staff (duty staff without a managing role) see only the grids they staff."""
    rows = (
        user.membership_rows()
        if hasattr(user, "membership_rows")
        else list(user.memberships.values_list("role", "unit__path"))
    )
    roles = {role for role, _path in rows}
    return bool(roles) and roles <= {Role.DUTY_STAFF} and not user.is_superuser


def limit_to_own_grids(qs: QuerySet, user: Any, grid_field: str = "grid") -> QuerySet:
    if grid_limited(user):
        lookup = f"{grid_field}__staff__user" if grid_field else "staff__user"
        return qs.filter(**{lookup: user})
    return qs


# ---------------------------------------------------------------- import of the 五长 and 包户

ROLE_WORDS = {
    StewardRole.AREA: ("片区长",),
    StewardRole.GRID: ("网格长",),
    StewardRole.BUILDING: ("楼栋长", "楼长"),
    StewardRole.STAIRWAY: ("单元长",),
    StewardRole.CENTRAL: ("中心户长", "中心户"),
}
SYNONYMS = {
    "grid": ("网格", "网格编码", "网格名称", "所属网格"),
    "role": ("职务", "五长", "角色", "类别"),
    "name": ("姓名", "五长姓名"),
    "phone": ("电话", "联系电话", "手机", "手机号"),
    "building": ("楼栋", "楼栋地址", "包户楼栋", "地址"),
    "stairway": ("单元",),
    "room": ("户号", "门牌", "房号", "门牌号"),
    "head": ("户主", "户主姓名"),
}
REQUIRED = ("grid", "role", "name")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    stewards: int = 0
    households: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False


def _role_of(text: str) -> str | None:
    for role, words in ROLE_WORDS.items():
        if text.strip() in words or text.strip() == role.value:
            return role.value
    return None


def import_stewards(
    source: Any,
    actor: Any,
    grids: QuerySet[Grid],
    *,
    dry_run: bool = True,
    request: HttpRequest | None = None,
) -> ImportResult:
    """Read the 五长 sheet (one row per steward, or per household a steward covers). Nothing is
    written on a dry run or when any row has an error; otherwise every row in one transaction."""
    result = ImportResult()
    try:
        sheets = read_workbook(source)
    except SpreadsheetError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return result
    if not sheets:
        result.errors.append(RowError(0, "", _("The workbook has no sheet.")))
        return result
    rows = sheets[0].rows
    header = find_header(rows, SYNONYMS, REQUIRED)
    if header is None:
        result.errors.append(RowError(0, "", _("No header row naming grid, role and name was found.")))
        return result
    by_key: dict[str, Grid] = {}
    for grid in grids:
        by_key[grid.code] = grid
        by_key.setdefault(grid.name, grid)
    parsed: list[tuple[Grid, str, str, str, str, str, str, str]] = []
    for index in range(header.row_index + 1, len(rows)):
        row = rows[index]
        if is_blank(row):
            continue
        number = index + 1
        result.rows += 1
        values = {key: cell_text(row, header, key) for key in SYNONYMS}

        def col(key: str) -> str:
            return column_letter(header.columns[key]) if key in header.columns else ""

        grid = by_key.get(values["grid"])
        if grid is None:
            result.errors.append(RowError(number, col("grid"), _("Unknown grid (or outside your units).")))
        role = _role_of(values["role"])
        if role is None:
            result.errors.append(RowError(number, col("role"), _("The role must be one of the five chiefs.")))
        if not values["name"]:
            result.errors.append(RowError(number, col("name"), _("The name is missing.")))
        if (values["stairway"] or values["room"] or values["head"]) and not values["building"]:
            result.errors.append(RowError(number, col("building"), _("A household needs its building.")))
        if grid is not None and role is not None and values["name"]:
            parsed.append(
                (
                    grid,
                    role,
                    values["name"][:60],
                    values["phone"][:20],
                    values["building"][:80],
                    values["stairway"][:20],
                    values["room"][:20],
                    values["head"][:60],
                )
            )
    if result.errors or dry_run:
        result.stewards = len({(g.pk, r, n, p) for g, r, n, p, *_rest in parsed})
        result.households = len({(g.pk, b, s, rm) for g, _r, _n, _p, b, s, rm, _h in parsed if b})
        return result
    with transaction.atomic():
        stewards: set[int] = set()
        households: set[int] = set()
        for grid, role, name, phone, building, stairway, room, head in parsed:
            steward, _created = Steward.objects.get_or_create(grid=grid, role=role, name=name, phone=phone)
            stewards.add(steward.pk)
            if building:
                household, _created = Household.objects.select_for_update().get_or_create(
                    grid=grid, building=building, stairway=stairway, room=room
                )
                household.steward = steward
                if head:
                    household.head = head
                household.save(update_fields=["steward", "head"])
                households.add(household.pk)
        result.stewards, result.households, result.committed = len(stewards), len(households), True
        log_action(
            actor,
            "visits.stewards.import",
            None,
            {"rows": result.rows, "stewards": result.stewards, "households": result.households},
            request=request,
        )
    return result


# ---------------------------------------------------------------- rounds


@dataclass
class RoundData:
    name: str
    start: dt.date
    end: dt.date
    due: dt.date
    buildings: str = ""


def open_round(
    unit: Unit, actor: Any, data: RoundData, grids: list[Grid], request: HttpRequest | None = None
) -> VisitRound:
    if not data.name.strip():
        raise DomainError(_("Give the round a name."))
    if data.end < data.start:
        raise DomainError(_("The round ends before it starts."))
    if data.due < data.start:
        raise DomainError(_("The due date is before the start."))
    if not grids:
        raise DomainError(_("Choose at least one grid."))
    with transaction.atomic():
        visit_round = VisitRound.objects.create(
            name=data.name.strip()[:120],
            unit=unit,
            start=data.start,
            end=data.end,
            due=data.due,
            buildings=data.buildings.strip(),
            created_by=actor,
        )
        visit_round.grids.set(grids)
        log_action(
            actor,
            "visits.round.open",
            visit_round,
            {"grids": [g.pk for g in grids], "due": data.due.isoformat()},
            request=request,
        )
    return visit_round


def round_households(visit_round: VisitRound) -> QuerySet[Household]:
    qs = Household.objects.filter(grid__in=visit_round.grids.all())
    buildings = visit_round.building_list()
    if buildings:
        qs = qs.filter(building__in=buildings)
    return qs


# ---------------------------------------------------------------- visits


@dataclass
class VisitData:
    outcome: str
    materials: str = ""
    opinions: str = ""
    difficulties: str = ""


def record_visit(
    visit_round: VisitRound,
    household: Household,
    actor: Any,
    data: VisitData,
    upload: Any = None,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> tuple[Visit, bool]:
    """Record (or correct) the household's visit in the round; (visit, stored). A resend with
    the same key returns the visit stored the first time and changes nothing."""
    key = (idempotency_key or "")[:64]
    if key:
        earlier = Visit.objects.filter(visited_by=actor, client_key=key).first()
        if earlier:
            return earlier, False
    if data.outcome not in Outcome.values:
        raise DomainError(_("Choose what happened at the door."))
    if not round_households(visit_round).filter(pk=household.pk).exists():
        raise DomainError(_("This household is not part of the round."))
    if data.outcome != Outcome.VISITED and (data.materials or data.opinions or data.difficulties):
        raise DomainError(_("Materials, opinions and difficulties are recorded only for a visit made."))
    checked = check_uploads([upload]) if upload else None
    if checked is not None and (checked.documents or not checked.photos):
        raise DomainError(_("Only a photo can be attached to a visit."))
    stored = StoredFiles("visits")
    try:
        if checked is not None:
            stored.write_checked(checked)
        with transaction.atomic():
            visit = Visit.objects.select_for_update().filter(round=visit_round, household=household).first()
            before = visit.outcome if visit else None
            if visit is None:
                visit = Visit(round=visit_round, household=household)
            visit.outcome = data.outcome
            visit.materials = data.materials.strip()[:200]
            visit.opinions = data.opinions.strip()[:1000]
            visit.difficulties = data.difficulties.strip()[:1000]
            visit.visited_by = actor
            visit.visited_at = timezone.now()
            visit.client_key = key
            if checked is not None:
                visit.photo.name, visit.photo_display.name = stored.names_for(checked.photos[0])
            visit.save()
            log_action(
                actor,
                "visits.visit.record",
                visit,
                {
                    "round": visit_round.pk,
                    "household": household.pk,
                    "outcome": data.outcome,
                    "before": before,
                },
                request=request,
            )
    except IntegrityError:
        stored.discard()
        earlier = Visit.objects.filter(visited_by=actor, client_key=key).first() if key else None
        if earlier:
            return earlier, False
        raise
    except BaseException:
        stored.discard()
        raise
    return visit, True


def opinion_to_problem(visit: Visit, actor: Any, category: Any, request: HttpRequest | None = None) -> Any:
    """File the visit's opinion (and difficulties) as a problem in one step, once."""
    with transaction.atomic():
        visit = (
            Visit.objects.select_for_update(of=("self",))
            .select_related("household__grid__unit")
            .get(pk=visit.pk)
        )
        if visit.problem_id:
            raise ConflictError(_("This opinion is already a problem."))
        text = "\n".join(t for t in (visit.opinions, visit.difficulties) if t)
        if not text:
            raise DomainError(_("The visit recorded no opinion."))
        household = visit.household
        problem = report(
            actor,
            category=category,
            description=text,
            source=Source.PATROL,
            address=f"{household.grid.name} {household}",
            unit=household.grid.unit,
            idempotency_key=f"visit-{visit.pk}",
            request=request,
        )
        visit.problem = problem
        visit.save(update_fields=["problem"])
        log_action(actor, "visits.visit.to_problem", visit, {"problem": problem.pk}, request=request)
    return problem


# ---------------------------------------------------------------- coverage


@dataclass
class CoverageRow:
    label: str
    total: int = 0
    visited: int = 0
    not_home: int = 0
    refused: int = 0

    @property
    def pending(self) -> int:
        return self.total - self.visited - self.not_home - self.refused

    @property
    def rate(self) -> int:
        return round(100 * self.visited / self.total) if self.total else 0


def coverage(
    visit_round: VisitRound, households: QuerySet[Household]
) -> tuple[list[CoverageRow], list[CoverageRow]]:
    """Per grid and per unit (community): households in the round, visited, not at home,
    refused, pending. Two queries whatever the size of the round."""
    outcome_of = dict(Visit.objects.filter(round=visit_round).values_list("household_id", "outcome"))
    by_grid: dict[int, CoverageRow] = {}
    by_unit: dict[int, CoverageRow] = defaultdict(lambda: CoverageRow(""))
    rows = households.values_list("pk", "grid_id", "grid__name", "grid__unit_id", "grid__unit__name")
    for pk, grid_id, grid_name, unit_id, unit_name in rows:
        targets = (by_grid.setdefault(grid_id, CoverageRow(grid_name)), by_unit[unit_id])
        by_unit[unit_id].label = unit_name
        outcome = outcome_of.get(pk)
        for row in targets:
            row.total += 1
            if outcome == Outcome.VISITED:
                row.visited += 1
            elif outcome == Outcome.NOT_HOME:
                row.not_home += 1
            elif outcome == Outcome.REFUSED:
                row.refused += 1
    return sorted(by_grid.values(), key=lambda r: r.label), sorted(by_unit.values(), key=lambda r: r.label)
