"""Changes to points and checklist templates, each in a transaction with an audit entry.

Duty transitions (check-in, check-out, logs, rosters) are in `points.duty`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest

from chuangwen.audit.services import diff, log_action
from chuangwen.points.models import ChecklistItem, Point, PointType


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """Field values for the audit diff (foreign keys as ids, JSON and decimals as text)."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, f"{name}_id") if hasattr(obj, f"{name}_id") else getattr(obj, name, None)
        out[name] = value if isinstance(value, (int, float, bool, str, type(None))) else str(value)
    return out


POINT_FIELDS = [
    "name",
    "code",
    "point_type",
    "address",
    "lat",
    "lng",
    "input_datum",
    "input_lat",
    "input_lng",
    "radius_m",
    "grid",
    "unit",
    "leader",
    "cadre",
    "is_key",
    "is_fixed",
    "is_active",
    "note",
]


@transaction.atomic
def save_point(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> Point:
    """Create or update a point from a valid PointForm; the position is converted to WGS-84."""
    before: dict[str, Any] = {}
    if form.instance.pk:
        before = snapshot(Point.objects.select_for_update().get(pk=form.instance.pk), POINT_FIELDS)
    point = form.save(commit=False)
    point.set_location(
        form.cleaned_data.get("position_lat"),
        form.cleaned_data.get("position_lng"),
        form.cleaned_data.get("datum") or "wgs84",
    )
    if point.leader_id:
        point.leader_name = point.leader.name
    if point.cadre_id:
        point.cadre_name = point.cadre.name
    point.save()
    log_action(
        actor,
        "points.point.update" if before else "points.point.create",
        point,
        diff(before, snapshot(point, POINT_FIELDS)),
        request=request,
    )
    return point


TYPE_FIELDS = ["code", "name", "group", "typical_checks", "sort_order", "is_active"]
ITEM_FIELDS = [
    "point_type",
    "number",
    "text",
    "indicator_code",
    "check_mode",
    "params",
    "scoring",
    "points",
    "weight",
    "is_active",
]


@transaction.atomic
def save_point_type(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> PointType:
    before = (
        snapshot(PointType.objects.select_for_update().get(pk=form.instance.pk), TYPE_FIELDS)
        if form.instance.pk
        else {}
    )
    point_type = form.save()
    log_action(
        actor,
        "points.type.update" if before else "points.type.create",
        point_type,
        diff(before, snapshot(point_type, TYPE_FIELDS)),
        request=request,
    )
    return point_type


@transaction.atomic
def save_checklist_item(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> ChecklistItem:
    before = (
        snapshot(ChecklistItem.objects.select_for_update().get(pk=form.instance.pk), ITEM_FIELDS)
        if form.instance.pk
        else {}
    )
    item = form.save()
    log_action(
        actor,
        "points.item.update" if before else "points.item.create",
        item,
        diff(before, snapshot(item, ITEM_FIELDS)),
        request=request,
    )
    return item


def link_indicators(actor: Any = None, campaign: Any = None, request: HttpRequest | None = None) -> int:
    """Point checklist items at the Ⅲ indicators of the campaign's evaluation system whose code
    they name (Ⅲ-57); items whose code is not found are unlinked. The number of items changed."""
    from chuangwen.campaigns.models import Campaign
    from chuangwen.indicators.models import Indicator

    campaign = campaign or Campaign.objects.current()
    if campaign is None:
        return 0
    indicators: dict[str, int] = {}
    rows = Indicator.objects.filter(system__campaign=campaign).order_by("-level", "system_id", "id")
    for code, pk in rows.values_list("code", "pk"):
        indicators.setdefault(code.strip(), pk)  # the deepest level wins when codes repeat
    changed = []
    with transaction.atomic():
        for item in ChecklistItem.objects.select_for_update().only("pk", "indicator_code", "indicator_id"):
            target = indicators.get(item.indicator_code.strip())
            if item.indicator_id != target:
                item.indicator_id = target
                changed.append(item)
        ChecklistItem.objects.bulk_update(changed, ["indicator"], batch_size=500)
        if changed:
            log_action(
                actor, "points.item.link_indicators", campaign, {"changed": len(changed)}, request=request
            )
    return len(changed)
