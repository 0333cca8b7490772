"""State changes of street-front shops: the register, photos, the 门前三包 pledge (责任书),
problems found at a shop, the repeated-problem rule (整改通知书, then exposure) and road lines.

Each change locks the shop row, checks the version the user was shown (a stale one is a
ConflictError), writes an audit entry and notifies after commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Membership, Role
from chuangwen.audit.services import diff, log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core import polyline
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.text import normalize_phone
from chuangwen.materials.uploads import StoredFiles, check_uploads
from chuangwen.notifications.services import notify
from chuangwen.org.models import Grid, Road, Unit
from chuangwen.shops.models import Category, Duty, Notice, RoadLine, Shop, ShopPhoto, ShopRules

MAX_PHOTOS = 12  # per shop: a frontage, its signboard and its licences, not an archive
LOCATION_MATCH_M = 15.0  # a problem this close to exactly one shop is found at it
EDITABLE = (
    "name",
    "category",
    "address",
    "lat",
    "lng",
    "road_id",
    "grid_id",
    "unit_id",
    "walk_order",
    "licence_no",
    "licence_seen",
    "licence_expiry",
    "food_licence_seen",
    "food_licence_expiry",
    "contact_name",
    "contact_phone",
    "duties",
    "is_active",
)


def _user(actor: Any) -> Any:
    return user_or_none(actor)


def rules_for(campaign: Campaign | None) -> ShopRules:
    """The campaign's thresholds (defaults when there is no campaign)."""
    if campaign is None:
        return ShopRules()
    rules, _created = ShopRules.objects.get_or_create(campaign=campaign)
    return rules


def current_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_current=True).order_by("-year", "-id").first()


@dataclass
class ShopInput:
    """What a form, the API or an import row gives for one shop."""

    name: str
    category: str = Category.OTHER
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    road: Road | None = None
    grid: Grid | None = None
    unit: Unit | None = None
    walk_order: int = 0
    licence_no: str = ""
    licence_seen: bool = False
    licence_expiry: dt.date | None = None
    food_licence_seen: bool = False
    food_licence_expiry: dt.date | None = None
    contact_name: str = ""
    contact_phone: str = ""
    duties: list[str] | None = None
    is_active: bool = True


def _checked(data: ShopInput) -> dict[str, Any]:
    name = (data.name or "").strip()
    if not name:
        raise DomainError(_("Give the shop's name."))
    if data.category not in Category.values:
        raise DomainError(_("Unknown shop category: %(value)s") % {"value": data.category})
    if (data.lat is None) != (data.lng is None):
        raise DomainError(_("Give both latitude and longitude, or neither."))
    if data.lat is not None and not (-90 <= data.lat <= 90 and -180 <= data.lng <= 180):
        raise DomainError(_("The position is outside the valid range of coordinates."))
    phone = (data.contact_phone or "").strip()
    if phone:
        phone = normalize_phone(phone) or ""
        if not phone:
            raise DomainError(_("The contact phone is not a phone number."))
    duties = [d for d in (data.duties or []) if d]
    unknown = [d for d in duties if d not in Duty.values]
    if unknown:
        raise DomainError(_("Unknown duty: %(value)s") % {"value": ", ".join(unknown)})
    unit = (
        data.unit or (data.grid.unit if data.grid else None) or (data.road.chief_unit if data.road else None)
    )
    if unit is None:
        raise DomainError(_("Choose the grid, the road or the responsible unit of the shop."))
    return {
        "name": name[:120],
        "category": data.category,
        "address": (data.address or "").strip()[:200],
        "lat": data.lat,
        "lng": data.lng,
        "road_id": data.road.pk if data.road else None,
        "grid_id": data.grid.pk if data.grid else None,
        "unit_id": unit.pk,
        "walk_order": max(0, int(data.walk_order or 0)),
        "licence_no": (data.licence_no or "").strip()[:40],
        "licence_seen": bool(data.licence_seen),
        "licence_expiry": data.licence_expiry,
        "food_licence_seen": bool(data.food_licence_seen),
        "food_licence_expiry": data.food_licence_expiry,
        "contact_name": (data.contact_name or "").strip()[:60],
        "contact_phone": phone,
        "duties": duties,
        "is_active": bool(data.is_active),
    }


def road_position(road_id: int | None, lat: float | None, lng: float | None) -> float | None:
    """The shop's chainage along its road's line (None without a line or a position)."""
    if road_id is None or lat is None or lng is None:
        return None
    line = RoadLine.objects.filter(road_id=road_id).values_list("coordinates", flat=True).first()
    if not line:
        return None
    return round(polyline.build(line).project(lat, lng)[0], 1)


def save_shop(
    data: ShopInput,
    actor: Any,
    shop: Shop | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Shop:
    """Create a shop, or change one (with the version the user was shown)."""
    values = _checked(data)
    position = road_position(values["road_id"], values["lat"], values["lng"])
    with transaction.atomic():
        if shop is None:
            row = Shop(**values, road_position_m=position)
            row.save()
            log_action(actor, "shops.shop.create", row, {"name": row.name}, request=request)
            return row
        row = Shop.objects.select_for_update().get(pk=shop.pk)
        if version is not None and int(version) != row.version:
            raise ConflictError(_("Somebody else changed this shop in the meantime; reload and try again."))
        before = {field: getattr(row, field) for field in EDITABLE}
        for field, value in values.items():
            setattr(row, field, value)
        row.road_position_m = position
        row.version += 1
        row.save(update_fields=[*EDITABLE, "road_position_m", "version", "updated_at"])
        log_action(actor, "shops.shop.update", row, diff(before, values), request=request)
        return row


def add_photos(
    shop: Shop, uploads: list[Any], actor: Any, idempotency_key: str = "", request: HttpRequest | None = None
) -> list[ShopPhoto]:
    """Photos of the frontage from grid staff's phones; a retry with the same key stores once."""
    key = (idempotency_key or "").strip()[:80] or None
    if key:
        earlier = list(ShopPhoto.objects.filter(shop=shop, client_key=key))
        if earlier:
            return earlier
    checked = check_uploads(uploads)
    if checked.documents:
        raise DomainError(_("Only photos can be added to a shop."))
    if not checked.photos:
        raise DomainError(_("Choose at least one photo."))
    stored = StoredFiles("shops")
    try:
        stored.write_checked(checked)
        with transaction.atomic():
            row = Shop.objects.select_for_update().get(pk=shop.pk)
            if row.photos.count() + len(checked.photos) > MAX_PHOTOS:
                raise DomainError(_("At most %(n)d photos per shop.") % {"n": MAX_PHOTOS})
            made = []
            for index, photo in enumerate(checked.photos):
                item = ShopPhoto(
                    shop=row,
                    name=photo.name,
                    sha256=photo.info.sha256,
                    taken_by=_user(actor),
                    client_key=key if index == 0 else None,
                )
                item.file.name, item.display.name = stored.names_for(photo)
                item.save()
                made.append(item)
            log_action(actor, "shops.shop.photos", row, {"photos": len(made)}, request=request)
    except IntegrityError:
        stored.discard()
        return list(ShopPhoto.objects.filter(shop=shop, client_key=key))
    except BaseException:
        stored.discard()
        raise
    return made


def _next_number(prefix: str, field: str, model: Any) -> str:
    """The next number of a series like MQSB-2026-00001 (under the caller's lock)."""
    head = f"{prefix}-{timezone.localdate().year}-"
    last = model.objects.filter(**{f"{field}__startswith": head}).aggregate(m=Max(field))["m"]
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{head}{seq:05d}"


def number_pledge(shop: Shop, actor: Any, request: HttpRequest | None = None) -> Shop:
    """Give the shop its pledge number (once): the generated document carries it."""
    if shop.pledge_no:
        return shop
    with transaction.atomic():
        # Numbers are handed out one at a time: the rules row of the campaign is the lock.
        campaign = current_campaign()
        if campaign is not None:
            rules_for(campaign)
            ShopRules.objects.select_for_update().filter(campaign=campaign).first()
        row = Shop.objects.select_for_update().get(pk=shop.pk)
        if not row.pledge_no:
            row.pledge_no = _next_number("MQSB", "pledge_no", Shop)
            row.save(update_fields=["pledge_no", "updated_at"])
            log_action(actor, "shops.pledge.number", row, {"pledge_no": row.pledge_no}, request=request)
        return row


def sign_pledge(
    shop: Shop,
    upload: Any,
    signed_on: dt.date,
    actor: Any,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Shop:
    """Record the signed pledge: a photo or scan (PDF) of the signed page and the signing date."""
    if signed_on is None:
        raise DomainError(_("Give the date the pledge was signed."))
    if signed_on > timezone.localdate():
        raise DomainError(_("The signing date is in the future."))
    if upload is None:
        raise DomainError(_("Choose the photo or scan of the signed pledge."))
    checked = check_uploads([upload])
    item = (checked.photos or checked.documents)[0]
    if checked.documents and checked.documents[0].extension != "pdf":
        raise DomainError(_("The signed pledge must be a photo or a PDF scan."))
    stored = StoredFiles("shops/pledges")
    with stored:
        stored.write_checked(checked)
        with transaction.atomic():
            row = Shop.objects.select_for_update().get(pk=shop.pk)
            if version is not None and int(version) != row.version:
                raise ConflictError(
                    _("Somebody else changed this shop in the meantime; reload and try again.")
                )
            if not row.pledge_no:
                row.pledge_no = _next_number("MQSB", "pledge_no", Shop)
            row.pledge_scan.name = stored.names_for(item)[0]
            row.pledge_scan_type = item.info.content_type if checked.photos else "application/pdf"
            row.pledge_signed_on = signed_on
            row.version += 1
            row.save(
                update_fields=[
                    "pledge_no",
                    "pledge_scan",
                    "pledge_scan_type",
                    "pledge_signed_on",
                    "version",
                    "updated_at",
                ]
            )
            log_action(
                actor,
                "shops.pledge.sign",
                row,
                {"signed_on": str(signed_on), "pledge_no": row.pledge_no},
                request=request,
            )
    return row


# ---- problems at a shop -------------------------------------------------------------------


def nearest_shop(lat: float, lng: float, within_m: float = LOCATION_MATCH_M) -> Shop | None:
    """The one active shop within `within_m` metres of the position (None when none or two tie
    closer than a metre apart: a guess would blame the wrong shop)."""
    d_lat = within_m / 111_195.0
    import math

    d_lng = d_lat / max(0.01, math.cos(math.radians(lat)))
    candidates = Shop.objects.filter(
        is_active=True,
        lat__range=(lat - d_lat, lat + d_lat),
        lng__range=(lng - d_lng, lng + d_lng),
    ).only("id", "lat", "lng", "unit_id", "name")
    ranked = []
    for shop in candidates:
        dy = (shop.lat - lat) * 111_195.0
        dx = (shop.lng - lng) * 111_195.0 * math.cos(math.radians(lat))
        distance = math.hypot(dx, dy)
        if distance <= within_m:
            ranked.append((distance, shop))
    ranked.sort(key=lambda pair: pair[0])
    if not ranked or (len(ranked) > 1 and ranked[1][0] - ranked[0][0] < 1.0):
        return None
    return ranked[0][1]


def link_problem(problem: Any, shop: Shop, actor: Any, request: HttpRequest | None = None) -> Notice | None:
    """Link a problem to the shop it was found at and apply the repeated-problem rule."""
    from chuangwen.problems.models import Problem

    with transaction.atomic():
        row = Problem.objects.select_for_update().get(pk=problem.pk)
        if row.shop_id == shop.pk:
            return None
        Problem.objects.filter(pk=row.pk).update(shop=shop)
        log_action(actor, "shops.problem.link", shop, {"problem": row.pk}, request=request)
        return apply_repeat_rule(shop, actor)


def report_at_shop(
    shop: Shop,
    actor: Any,
    *,
    category: Any,
    description: str,
    photos: Any = (),
    idempotency_key: str | None = None,
    request: HttpRequest | None = None,
) -> Any:
    """File a problem found at the shop: its 包保 unit is responsible, the shop's position is the
    problem's; then the repeated-problem rule. A retry with the same key files once."""
    from chuangwen.problems.models import Source
    from chuangwen.problems.services import report

    problem = report(
        actor,
        category=category,
        description=description,
        source=Source.INSPECTION if _is_inspector(actor) else Source.PATROL,
        lat=shop.lat,
        lng=shop.lng,
        address=shop.address or shop.name,
        unit=shop.unit,
        idempotency_key=idempotency_key,
        photos=photos,
        request=request,
    )
    if not getattr(problem, "replayed", False) or problem.shop_id is None:
        link_problem(problem, shop, actor, request=request)
        problem.shop_id = shop.pk
    return problem


def _is_inspector(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and actor.has_role(Role.INSPECTOR)


def apply_repeat_rule(shop: Shop, actor: Any = "system") -> Notice | None:
    """Problems at one shop within the window, not yet covered by a notice, reaching the
    threshold raise a 整改通知书; notices within the window reaching the exposure threshold put
    the shop on the exposure list. Runs under the shop's lock."""
    from chuangwen.problems.models import Problem

    rules = rules_for(current_campaign())
    now = timezone.now()
    since = now - dt.timedelta(days=rules.window_days)
    with transaction.atomic():
        row = Shop.objects.select_for_update().get(pk=shop.pk)
        covered: set[int] = set()
        for ids in Notice.objects.filter(shop=row).values_list("problem_ids", flat=True):
            covered.update(int(i) for i in ids)
        recent = [
            pk
            for pk in Problem.objects.filter(shop=row, reported_at__gte=since)
            .order_by("reported_at", "pk")
            .values_list("pk", flat=True)
            if pk not in covered
        ]
        if len(recent) < rules.notice_after:
            return None
        notice = Notice.objects.create(
            shop=row,
            number=_next_number("ZGTZ", "number", Notice),
            problem_ids=recent,
            reason=_("%(n)d problems at the frontage within %(days)d days")
            % {"n": len(recent), "days": rules.window_days},
            deadline=timezone.localdate() + dt.timedelta(days=7),
        )
        log_action(actor, "shops.notice.issue", row, {"notice": notice.number, "problems": recent})
        in_window = Notice.objects.filter(shop=row, issued_at__gte=since).count()
        if in_window >= rules.expose_after and row.exposed_at is None:
            row.exposed_at = now
            row.exposure_reason = _("%(n)d rectification notices within %(days)d days") % {
                "n": in_window,
                "days": rules.window_days,
            }
            row.version += 1
            row.save(update_fields=["exposed_at", "exposure_reason", "version", "updated_at"])
            log_action(actor, "shops.shop.expose", row, {"reason": row.exposure_reason})
        users = [
            m.user
            for m in Membership.objects.filter(
                unit_id=row.unit_id, role__in=(Role.LIAISON, Role.UNIT_ADMIN)
            ).select_related("user")
        ]
        title = _("Rectification notice %(number)s to %(shop)s") % {"number": notice.number, "shop": row.name}
        transaction.on_commit(lambda: notify(users, title, notice.reason, f"/shops/{row.pk}/"))
        return notice


def lift_exposure(
    shop: Shop, actor: Any, version: int | None = None, request: HttpRequest | None = None
) -> Shop:
    """Take the shop off the exposure list (the office, once the frontage is in order)."""
    with transaction.atomic():
        row = Shop.objects.select_for_update().get(pk=shop.pk)
        if version is not None and int(version) != row.version:
            raise ConflictError(_("Somebody else changed this shop in the meantime; reload and try again."))
        if row.exposed_at is None:
            raise DomainError(_("The shop is not on the exposure list."))
        row.exposed_at, row.exposure_reason = None, ""
        row.version += 1
        row.save(update_fields=["exposed_at", "exposure_reason", "version", "updated_at"])
        log_action(actor, "shops.shop.unexpose", row, {}, request=request)
    return row


def save_rules(
    campaign: Campaign,
    notice_after: int,
    window_days: int,
    expose_after: int,
    five_duties: bool,
    actor: Any,
    request: HttpRequest | None = None,
) -> ShopRules:
    if (
        not 1 <= int(notice_after) <= 100
        or not 1 <= int(window_days) <= 3650
        or not 1 <= int(expose_after) <= 100
    ):
        raise DomainError(_("The thresholds must be between 1 and 100, the window between 1 and 3650 days."))
    with transaction.atomic():
        rules_for(campaign)
        rules = ShopRules.objects.select_for_update().get(campaign=campaign)
        before = {
            "notice_after": rules.notice_after,
            "window_days": rules.window_days,
            "expose_after": rules.expose_after,
            "five_duties": rules.five_duties,
        }
        after = {
            "notice_after": int(notice_after),
            "window_days": int(window_days),
            "expose_after": int(expose_after),
            "five_duties": bool(five_duties),
        }
        for field, value in after.items():
            setattr(rules, field, value)
        rules.save()
        log_action(actor, "shops.rules.update", rules, diff(before, after), request=request)
    return rules


# ---- road lines ---------------------------------------------------------------------------


def save_road_line(
    road: Road, geometry: Any, is_main: bool, actor: Any, request: HttpRequest | None = None
) -> RoadLine:
    """Store a road's line (GeoJSON LineString) and re-place its shops along it."""
    try:
        coordinates = polyline.parse_coordinates(geometry)
    except polyline.LineError as exc:
        raise DomainError(str(exc)) from exc
    line = polyline.build(coordinates)
    with transaction.atomic():
        row, _created = RoadLine.objects.select_for_update().update_or_create(
            road=road,
            defaults={
                "coordinates": [list(p) for p in coordinates],
                "length_m": round(line.length_m, 1),
                "is_main": is_main,
            },
        )
        shops = list(Shop.objects.select_for_update().filter(road=road, lat__isnull=False, lng__isnull=False))
        for shop in shops:
            shop.road_position_m = round(line.project(shop.lat, shop.lng)[0], 1)
        Shop.objects.bulk_update(shops, ["road_position_m"], batch_size=500)
        log_action(
            actor,
            "shops.road_line.save",
            road,
            {"length_m": row.length_m, "vertices": len(coordinates)},
            request=request,
        )
    return row
