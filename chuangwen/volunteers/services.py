"""Volunteer transitions: teams, volunteers, activities, sign-up, sign-in and sign-out on the
volunteer's phone, and the organiser's confirmation of hours.

Sign-in works like duty check-in: a repeated tap returns the first sign-in (one record per
volunteer and activity), a position outside the activity's radius is flagged, never refused,
and a missing or absurd GPS fix is refused. Hours are computed from sign-in and sign-out,
clipped to the activity's time, and count towards the volunteer's total (and star level) only
once the organiser confirms them.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core import geo
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.text import normalize_phone
from chuangwen.volunteers.models import (
    Activity,
    ActivityStatus,
    RecordStatus,
    ServiceRecord,
    Team,
    Volunteer,
)

SIGN_IN_OPENS_BEFORE = dt.timedelta(minutes=60)
SIGN_OUT_CLOSES_AFTER = dt.timedelta(hours=2)
MAX_HOURS_PER_RECORD = Decimal("24")
COUNTED = (RecordStatus.SIGNED_UP, RecordStatus.SIGNED_IN, RecordStatus.SIGNED_OUT, RecordStatus.CONFIRMED)


def save_team(team: Team, actor: Any, request: HttpRequest | None = None) -> Team:
    """Create or update a team."""
    created = team.pk is None
    with transaction.atomic():
        team.save()
        log_action(
            actor, "volunteers.team.create" if created else "volunteers.team.update", team, request=request
        )
    return team


def save_volunteer(
    volunteer: Volunteer,
    actor: Any,
    id_number: str | None = None,
    teams: list[Team] | None = None,
    request: HttpRequest | None = None,
) -> Volunteer:
    """Create or update a volunteer; `id_number` (when given) is stored encrypted."""
    phone = normalize_phone(volunteer.phone)
    if phone is None:
        raise DomainError(_("“%(v)s” is not a phone number.") % {"v": volunteer.phone})
    volunteer.phone = phone
    if id_number is not None:
        volunteer.set_id_number(id_number)
    created = volunteer.pk is None
    try:
        with transaction.atomic():
            if created:
                volunteer.total_hours = volunteer.imported_hours
                volunteer.save()
            else:
                volunteer.save()
                _recount(volunteer)
            if teams is not None:
                volunteer.teams.set(teams)
            log_action(
                actor,
                "volunteers.volunteer.create" if created else "volunteers.volunteer.update",
                volunteer,
                {"unit": volunteer.unit_id, "teams": [t.pk for t in teams or []]},
                request=request,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("A volunteer with this phone number (or volunteer number) is already registered in this unit.")
        ) from exc
    return volunteer


def _recount(volunteer: Volunteer) -> None:
    """Total hours = hours recorded before + every confirmed record (inside the caller's transaction)."""
    from django.db.models import Sum

    confirmed = (
        ServiceRecord.objects.filter(volunteer=volunteer, status=RecordStatus.CONFIRMED).aggregate(
            s=Sum("hours")
        )["s"]
        or 0
    )
    total = volunteer.imported_hours + Decimal(confirmed)
    Volunteer.objects.filter(pk=volunteer.pk).update(total_hours=total)
    volunteer.total_hours = total


def save_activity(activity: Activity, actor: Any, request: HttpRequest | None = None) -> Activity:
    """Create or update an activity (the organiser's form)."""
    if activity.ends_at <= activity.starts_at:
        raise DomainError(_("The activity must end after it starts."))
    if activity.ends_at - activity.starts_at > dt.timedelta(hours=24):
        raise DomainError(_("An activity lasts at most 24 hours; record a longer one day by day."))
    created = activity.pk is None
    with transaction.atomic():
        if created:
            activity.created_by = user_or_none(actor)
        activity.save()
        log_action(
            actor,
            "volunteers.activity.create" if created else "volunteers.activity.update",
            activity,
            {"starts_at": activity.starts_at.isoformat(), "capacity": activity.capacity},
            request=request,
        )
    return activity


def find_volunteer(name: str, phone: str) -> Volunteer:
    """The registered volunteer a phone sign-in names (name and phone must both match)."""
    number = normalize_phone(phone or "")
    if not number or not (name or "").strip():
        raise DomainError(_("Enter your name and the phone number you registered with."))
    found = (
        Volunteer.objects.filter(phone=number, name=name.strip(), is_active=True)
        .select_related("unit")
        .first()
    )
    if found is None:
        raise DomainError(
            _(
                "No registered volunteer has this name and phone number. Ask the organiser to register you first."
            )
        )
    return found


def _open_activity(activity: Activity) -> None:
    if activity.status != ActivityStatus.OPEN:
        raise DomainError(_("This activity is no longer open."))


def _check_capacity(activity: Activity) -> None:
    if activity.capacity and activity.records.filter(status__in=COUNTED).count() >= activity.capacity:
        raise DomainError(
            _("The activity is full: %(n)d volunteers are recruited.") % {"n": activity.capacity}
        )


def sign_up(
    activity: Activity, volunteer: Volunteer, request: HttpRequest | None = None, by_organiser: bool = False
) -> tuple[ServiceRecord, bool]:
    """Sign up (报名) before the activity; (record, created). Refused when the limit is reached.
    The organiser may add a volunteer after the end too (hours then confirmed by hand)."""
    existing = ServiceRecord.objects.filter(activity=activity, volunteer=volunteer).first()
    if existing:
        return existing, False
    _open_activity(activity)
    if not by_organiser and timezone.now() > activity.ends_at:
        raise DomainError(_("This activity has already ended."))
    try:
        with transaction.atomic():
            # Lock the activity so two sign-ups cannot both take the last place.
            Activity.objects.select_for_update().filter(pk=activity.pk).first()
            _check_capacity(activity)
            record = ServiceRecord.objects.create(
                activity=activity, volunteer=volunteer, volunteer_unit_id=volunteer.unit_id
            )
            log_action(
                None, "volunteers.record.sign_up", record, {"volunteer": volunteer.pk}, request=request
            )
    except IntegrityError:
        return ServiceRecord.objects.get(activity=activity, volunteer=volunteer), False
    return record, True


def _position(lat: Any, lng: Any) -> tuple[float, float]:
    try:
        return geo.parse_position(lat, lng)
    except geo.PositionError as exc:
        raise DomainError(str(exc)) from exc


def sign_in(
    activity: Activity,
    volunteer: Volunteer,
    lat: Any,
    lng: Any,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> tuple[ServiceRecord, bool]:
    """Sign in at the activity by scanning its QR code; (record, newly signed in)."""
    lat_f, lng_f = _position(lat, lng)
    now = now or timezone.now()
    existing = ServiceRecord.objects.filter(activity=activity, volunteer=volunteer).first()
    if existing and existing.signed_in_at:
        return existing, False
    _open_activity(activity)
    if now < activity.starts_at - SIGN_IN_OPENS_BEFORE:
        raise DomainError(_("Sign-in opens one hour before the activity starts."))
    if now > activity.ends_at:
        raise DomainError(_("This activity has already ended; it can no longer be signed in."))
    distance = activity.distance_to(lat_f, lng_f)
    with transaction.atomic():
        Activity.objects.select_for_update().filter(pk=activity.pk).first()
        record = (
            ServiceRecord.objects.select_for_update().filter(activity=activity, volunteer=volunteer).first()
        )
        if record is None:
            _check_capacity(activity)
            record = ServiceRecord(
                activity=activity, volunteer=volunteer, volunteer_unit_id=volunteer.unit_id
            )
        elif record.signed_in_at:
            return record, False
        record.status = RecordStatus.SIGNED_IN
        record.signed_in_at = now
        record.day = timezone.localtime(now).date()
        record.in_lat, record.in_lng, record.in_distance_m = lat_f, lng_f, distance
        record.in_outside = distance is not None and distance > activity.radius_m
        record.save()
        log_action(
            None,
            "volunteers.record.sign_in",
            record,
            {"distance_m": round(distance) if distance is not None else None, "outside": record.in_outside},
            request=request,
        )
    return record, True


def compute_hours(activity: Activity, signed_in_at: dt.datetime, signed_out_at: dt.datetime) -> Decimal:
    """Hours between sign-in and sign-out, clipped to the activity's time, to one decimal."""
    start = max(signed_in_at, activity.starts_at)
    end = min(signed_out_at, activity.ends_at)
    seconds = max(0.0, (end - start).total_seconds())
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def sign_out(
    activity: Activity,
    volunteer: Volunteer,
    lat: Any,
    lng: Any,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> ServiceRecord:
    """Sign out (once; a repeated tap changes nothing). The hours wait for the organiser."""
    lat_f, lng_f = _position(lat, lng)
    now = now or timezone.now()
    with transaction.atomic():
        record = (
            ServiceRecord.objects.select_for_update().filter(activity=activity, volunteer=volunteer).first()
        )
        if record is None or record.signed_in_at is None:
            raise DomainError(_("You have not signed in at this activity yet."))
        if record.signed_out_at:
            return record
        if now > activity.ends_at + SIGN_OUT_CLOSES_AFTER:
            raise DomainError(
                _("Sign-out closed two hours after the activity ended; the organiser records your hours.")
            )
        distance = activity.distance_to(lat_f, lng_f)
        record.signed_out_at = now
        record.out_lat, record.out_lng, record.out_distance_m = lat_f, lng_f, distance
        record.out_outside = distance is not None and distance > activity.radius_m
        record.computed_hours = compute_hours(activity, record.signed_in_at, now)
        record.status = RecordStatus.SIGNED_OUT
        record.save(
            update_fields=[
                "signed_out_at",
                "out_lat",
                "out_lng",
                "out_distance_m",
                "out_outside",
                "computed_hours",
                "status",
            ]
        )
        log_action(
            None, "volunteers.record.sign_out", record, {"hours": str(record.computed_hours)}, request=request
        )
    return record


def _parse_hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value).strip()).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except Exception as exc:  # noqa: BLE001 - any unreadable number is the same user mistake
        raise DomainError(_("“%(v)s” is not a number of hours.") % {"v": value}) from exc
    if not Decimal("0") <= hours <= MAX_HOURS_PER_RECORD:
        raise DomainError(_("Hours must be between 0 and 24."))
    return hours


def confirm_record(
    record: ServiceRecord,
    actor: Any,
    hours: Any = None,
    reject: bool = False,
    note: str = "",
    request: HttpRequest | None = None,
) -> ServiceRecord:
    """The organiser confirms a record's hours (default: the computed hours) or rejects it.

    A confirmed record can be corrected (confirmed again with other hours); the volunteer's
    total follows. A record without a sign-in can be confirmed only with hours given.
    """
    with transaction.atomic():
        locked = (
            ServiceRecord.objects.select_for_update(of=("self",)).select_related("activity").get(pk=record.pk)
        )
        volunteer = Volunteer.objects.select_for_update().get(pk=locked.volunteer_id)
        before = {"status": locked.status, "hours": str(locked.hours) if locked.hours is not None else None}
        if reject:
            locked.status = RecordStatus.REJECTED
            locked.hours = None
        else:
            if hours in (None, ""):
                if locked.computed_hours is None:
                    raise DomainError(
                        _("%(name)s has no sign-in and sign-out; enter the hours to confirm.")
                        % {"name": volunteer.name}
                    )
                value = locked.computed_hours
            else:
                value = _parse_hours(hours)
            locked.status = RecordStatus.CONFIRMED
            locked.hours = value
            if locked.day is None:
                locked.day = timezone.localtime(locked.activity.starts_at).date()
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        locked.note = (note or "")[:200]
        locked.save(update_fields=["status", "hours", "day", "confirmed_by", "confirmed_at", "note"])
        _recount(volunteer)
        log_action(
            actor,
            "volunteers.record.reject" if reject else "volunteers.record.confirm",
            locked,
            {"before": before, "hours": str(locked.hours) if locked.hours is not None else None},
            request=request,
        )
    return locked


def confirm_all(activity: Activity, actor: Any, request: HttpRequest | None = None) -> int:
    """Confirm every signed-out record of the activity with its computed hours; how many."""
    ids = list(
        activity.records.filter(status=RecordStatus.SIGNED_OUT, computed_hours__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        confirm_record(ServiceRecord(pk=pk), actor, request=request)
    return len(ids)


def close_activity(
    activity: Activity, actor: Any, version_status: str | None = None, request: HttpRequest | None = None
) -> Activity:
    """Mark the activity finished: no more sign-ups or sign-ins."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if version_status is not None and locked.status != version_status:
            raise ConflictError(_("Somebody changed this activity first; reload the page."))
        if locked.status != ActivityStatus.OPEN:
            raise DomainError(_("This activity is no longer open."))
        locked.status = ActivityStatus.CLOSED
        locked.save(update_fields=["status"])
        log_action(actor, "volunteers.activity.close", locked, request=request)
    return locked


def register_walk_in(
    activity: Activity, volunteer: Volunteer, actor: Any, request: HttpRequest | None = None
) -> ServiceRecord:
    """The organiser adds a volunteer who came without a phone (hours confirmed by hand later)."""
    record, _created = sign_up(activity, volunteer, request=request, by_organiser=True)
    log_action(actor, "volunteers.record.add", record, {"volunteer": volunteer.pk}, request=request)
    return record
