"""State changes of the 公益广告 inventory (placements, photos, condition checks that turn a
damaged placement into a problem for its owner unit, sites, rules) and the office's checks
(gaps along main streets, hoarding shares, placements due for replacement, requirements per
point type)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import diff, log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core import polyline
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.org.models import Road, Unit
from chuangwen.placements.models import (
    NEEDS_REPLACEMENT,
    Carrier,
    Condition,
    Placement,
    PlacementRules,
    Requirement,
    Site,
    Theme,
)
from chuangwen.shops.models import RoadLine

FIELDS = (
    "carrier",
    "theme",
    "title",
    "address",
    "lat",
    "lng",
    "road_id",
    "point_id",
    "site_id",
    "width_m",
    "height_m",
    "installed_on",
    "content_until",
    "owner_unit_id",
    "is_active",
)
# A placement's position is counted for a road when it is this close to the line.
ON_ROAD_M = 60.0


def current_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_current=True).order_by("-year", "-id").first()


def rules_for(campaign: Campaign | None) -> PlacementRules:
    if campaign is None:
        return PlacementRules()
    rules, _created = PlacementRules.objects.get_or_create(campaign=campaign)
    return rules


@dataclass
class PlacementInput:
    carrier: str
    theme: str
    owner_unit: Unit
    title: str = ""
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    road: Road | None = None
    point: Any = None
    site: Site | None = None
    width_m: Decimal | None = None
    height_m: Decimal | None = None
    installed_on: dt.date | None = None
    content_until: dt.date | None = None
    is_active: bool = True


def _checked(data: PlacementInput) -> dict[str, Any]:
    if data.carrier not in Carrier.values:
        raise DomainError(_("Unknown carrier: %(value)s") % {"value": data.carrier})
    if data.theme not in Theme.values:
        raise DomainError(_("Unknown content theme: %(value)s") % {"value": data.theme})
    if data.owner_unit is None:
        raise DomainError(_("Choose the owner unit."))
    if (data.lat is None) != (data.lng is None):
        raise DomainError(_("Give both latitude and longitude, or neither."))
    if data.lat is None and not (data.address or "").strip():
        raise DomainError(_("Give the position or the address of the placement."))
    if data.lat is not None and not (-90 <= data.lat <= 90 and -180 <= data.lng <= 180):
        raise DomainError(_("The position is outside the valid range of coordinates."))
    for size in (data.width_m, data.height_m):
        if size is not None and not Decimal("0") < Decimal(size) < Decimal("1000"):
            raise DomainError(_("Sizes are in metres, above 0 and below 1000."))
    if data.site is not None and data.carrier != Carrier.HOARDING:
        raise DomainError(_("Only a hoarding placement belongs to a construction site."))
    return {
        "carrier": data.carrier,
        "theme": data.theme,
        "title": (data.title or "").strip()[:120],
        "address": (data.address or "").strip()[:200],
        "lat": data.lat,
        "lng": data.lng,
        "road_id": data.road.pk if data.road else None,
        "point_id": data.point.pk if data.point else None,
        "site_id": data.site.pk if data.site else None,
        "width_m": data.width_m,
        "height_m": data.height_m,
        "installed_on": data.installed_on,
        "content_until": data.content_until,
        "owner_unit_id": data.owner_unit.pk,
        "is_active": bool(data.is_active),
    }


def _position(road_id: int | None, lat: float | None, lng: float | None) -> float | None:
    if road_id is None or lat is None:
        return None
    coordinates = RoadLine.objects.filter(road_id=road_id).values_list("coordinates", flat=True).first()
    if not coordinates:
        return None
    return round(polyline.build(coordinates).project(lat, lng)[0], 1)


def save_placement(
    data: PlacementInput,
    actor: Any,
    placement: Placement | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Placement:
    values = _checked(data)
    position = _position(values["road_id"], values["lat"], values["lng"])
    with transaction.atomic():
        if placement is None:
            row = Placement(**values, road_position_m=position)
            row.save()
            log_action(actor, "placements.placement.create", row, {"carrier": row.carrier}, request=request)
            return row
        row = Placement.objects.select_for_update().get(pk=placement.pk)
        if version is not None and int(version) != row.version:
            raise ConflictError(
                _("Somebody else changed this placement in the meantime; reload and try again.")
            )
        before = {f: getattr(row, f) for f in FIELDS}
        for name, value in values.items():
            setattr(row, name, value)
        row.road_position_m = position
        row.version += 1
        row.save(update_fields=[*FIELDS, "road_position_m", "version", "updated_at"])
        log_action(actor, "placements.placement.update", row, diff(before, values), request=request)
        return row


def record_condition(
    placement: Placement,
    condition: str,
    actor: Any,
    note: str = "",
    photos: Any = (),
    version: int | None = None,
    idempotency_key: str | None = None,
    request: HttpRequest | None = None,
) -> Placement:
    """The condition found on a check. A damaged, faded or out-of-date placement becomes a
    problem for its owner unit (once: while that problem is open, a second finding adds none)."""
    from chuangwen.problems.models import OPEN_STATUSES, ProblemCategory, Source
    from chuangwen.problems.services import report

    if condition not in Condition.values:
        raise DomainError(_("Unknown condition: %(value)s") % {"value": condition})
    with transaction.atomic():
        row = Placement.objects.select_for_update(of=("self",)).select_related("problem").get(pk=placement.pk)
        if version is not None and int(version) != row.version:
            raise ConflictError(
                _("Somebody else changed this placement in the meantime; reload and try again.")
            )
        before = row.condition
        row.condition = condition
        row.checked_at = timezone.now()
        row.version += 1
        row.save(update_fields=["condition", "checked_at", "version", "updated_at"])
        log_action(
            actor, "placements.placement.condition", row, {"condition": [before, condition]}, request=request
        )
    open_problem = row.problem is not None and row.problem.status in OPEN_STATUSES
    if condition in NEEDS_REPLACEMENT and not open_problem:
        category = (
            ProblemCategory.objects.filter(
                is_active=True, parent__isnull=False, name__contains="公益广告"
            ).first()
            or ProblemCategory.objects.filter(is_active=True, parent__isnull=False)
            .order_by("sort_order", "id")
            .first()
        )
        if category is None:
            raise DomainError(_("No problem category exists to file the damaged placement under."))
        text = _("Public-welfare ad %(what)s is %(condition)s; replace or repair it.") % {
            "what": str(row),
            "condition": Condition(condition).label,
        }
        problem = report(
            actor,
            category=category,
            description=f"{text} {note}".strip(),
            source=Source.INSPECTION,
            lat=row.lat,
            lng=row.lng,
            address=row.address,
            unit=row.owner_unit,
            photos=photos,
            idempotency_key=idempotency_key,
            request=request,
        )
        Placement.objects.filter(pk=row.pk).update(problem=problem)
        row.problem = problem
    return row


def save_rules(
    campaign: Campaign,
    max_gap_m: int,
    hoarding_share_pct: int,
    actor: Any,
    request: HttpRequest | None = None,
) -> PlacementRules:
    if not 50 <= int(max_gap_m) <= 10000:
        raise DomainError(_("The longest stretch must be between 50 and 10000 m."))
    if not 1 <= int(hoarding_share_pct) <= 100:
        raise DomainError(_("The hoarding share must be between 1 and 100 %."))
    with transaction.atomic():
        rules_for(campaign)
        rules = PlacementRules.objects.select_for_update().get(campaign=campaign)
        before = {"max_gap_m": rules.max_gap_m, "hoarding_share_pct": rules.hoarding_share_pct}
        rules.max_gap_m, rules.hoarding_share_pct = int(max_gap_m), int(hoarding_share_pct)
        rules.save()
        log_action(
            actor,
            "placements.rules.update",
            rules,
            diff(before, {"max_gap_m": rules.max_gap_m, "hoarding_share_pct": rules.hoarding_share_pct}),
            request=request,
        )
    return rules


def save_requirement(
    campaign: Campaign, point_type: Any, minimum: int, actor: Any, request: HttpRequest | None = None
) -> None:
    if not 0 <= int(minimum) <= 100:
        raise DomainError(_("The number required must be between 0 and 100."))
    with transaction.atomic():
        if int(minimum) == 0:
            Requirement.objects.filter(campaign=campaign, point_type=point_type).delete()
        else:
            Requirement.objects.update_or_create(
                campaign=campaign, point_type=point_type, defaults={"minimum": int(minimum)}
            )
        log_action(
            actor,
            "placements.requirement.save",
            campaign,
            {"point_type": point_type.name, "minimum": int(minimum)},
            request=request,
        )


# ---- checks -------------------------------------------------------------------------------


@dataclass
class RoadGaps:
    road_id: int
    road_name: str
    length_m: float
    placements: int
    gaps: list[polyline.Gap]
    ends: list[tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=list)


def gap_check(road_ids: set[int] | None, max_gap_m: float) -> list[RoadGaps]:
    """Along each main or commercial street with a line, the stretches longer than `max_gap_m`
    with no active placement. A placement counts for a road when it is tied to the road, or when
    its position lies within ON_ROAD_M of the line; positions are projected afresh (a line
    changed since a placement was saved is still measured right)."""
    lines = RoadLine.objects.filter(is_main=True).select_related("road")
    if road_ids is not None:
        lines = lines.filter(road_id__in=road_ids)
    lines = list(lines.only("road_id", "coordinates", "length_m", "road__name"))
    if not lines:
        return []
    wanted = {line.road_id for line in lines}
    by_road: dict[int, list[tuple[float, float, float | None]]] = defaultdict(list)
    rows = (
        Placement.objects.filter(is_active=True, road_id__in=wanted)
        .values_list("road_id", "lat", "lng", "road_position_m")
        .iterator(chunk_size=5000)
    )
    for road_id, lat, lng, stored in rows:
        by_road[road_id].append((lat, lng, stored))
    results = []
    for line_row in lines:
        line = polyline.build(line_row.coordinates)
        positions = []
        for lat, lng, stored in by_road.get(line_row.road_id, ()):
            if lat is None:
                if stored is not None:
                    positions.append(stored)
                continue
            at, off = line.project(lat, lng)
            if off <= ON_ROAD_M:
                positions.append(at)
        found = polyline.gaps(line.length_m, positions, max_gap_m)
        results.append(
            RoadGaps(
                line_row.road_id,
                line_row.road.name,
                line.length_m,
                len(positions),
                found,
                [(polyline.point_at(line, g.start_m), polyline.point_at(line, g.end_m)) for g in found],
            )
        )
    return results


@dataclass
class SiteShare:
    site: Site
    covered_m: float
    share_pct: float
    ok: bool


def hoarding_shares(sites: Any, required_pct: int) -> list[SiteShare]:
    """Per construction site, the share of its hoarding carrying public-welfare content (the
    width of its active hoarding placements against the hoarding's length)."""
    rows = sites.annotate(
        covered=Sum(
            "placements__width_m", filter=Q(placements__is_active=True, placements__carrier=Carrier.HOARDING)
        )
    ).order_by("name", "id")
    result = []
    for site in rows:
        covered = float(site.covered or 0)
        share = 100.0 * covered / site.hoarding_length_m if site.hoarding_length_m else 0.0
        result.append(SiteShare(site, covered, round(min(share, 100.0), 1), share >= required_pct))
    return result


def due_for_replacement(placements: Any, today: dt.date | None = None) -> Any:
    """Damaged, faded or out-of-date placements, and those whose content is past its campaign."""
    today = today or timezone.localdate()
    return placements.filter(is_active=True).filter(
        Q(condition__in=NEEDS_REPLACEMENT) | Q(content_until__lt=today)
    )


@dataclass
class PointShortfall:
    point: Any
    required: int
    present: int


def requirement_shortfalls(campaign: Campaign | None, points: Any) -> list[PointShortfall]:
    """Points with fewer active, intact placements than their type requires."""
    if campaign is None:
        return []
    required = dict(Requirement.objects.filter(campaign=campaign).values_list("point_type_id", "minimum"))
    if not required:
        return []
    rows = (
        points.filter(point_type_id__in=required, is_active=True)
        .annotate(
            present=Count(
                "placements",
                filter=Q(placements__is_active=True) & ~Q(placements__condition__in=NEEDS_REPLACEMENT),
            )
        )
        .select_related("point_type", "unit")
        .order_by("point_type__sort_order", "name")
    )
    return [
        PointShortfall(p, required[p.point_type_id], p.present)
        for p in rows
        if p.present < required[p.point_type_id]
    ]
