"""Duty transitions: rosters and their shifts, check-in and check-out, duty log entries.

Check-ins are idempotent (one per person and shift: a repeated tap returns the first), a
position outside the point's radius is *flagged*, never refused, and someone not on the
shift's roster is refused with a message saying so. A missing or absurd GPS fix is refused
with advice: a check-in without a position proves nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core import geo
from chuangwen.core.errors import DomainError
from chuangwen.core.storage import FileBatch
from chuangwen.points.models import CheckIn, DutyCategory, DutyLog, DutyLogPhoto, DutyRoster, DutyShift, Point
from chuangwen.points.photos import build_photo, check_photo, write_originals
from chuangwen.points.visibility import person_of

CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=60)
MAX_PHOTOS_PER_LOG = 9


def roster_dates(roster: DutyRoster) -> list[dt.date]:
    days = []
    day = roster.start_date
    while day <= roster.end_date:
        if str(day.isoweekday()) in roster.weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@transaction.atomic
def save_roster(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> tuple[DutyRoster, int]:
    """Save a roster and create its missing shifts; (roster, shifts created)."""
    is_new = form.instance.pk is None
    roster = form.save(commit=False)
    if is_new:
        roster.created_by = actor
    roster.save()
    form.save_m2m()
    created = generate_shifts(roster)
    log_action(
        actor,
        "points.roster.create" if is_new else "points.roster.update",
        roster,
        {"shifts_created": created, "people": sorted(roster.people.values_list("pk", flat=True))},
        request=request,
    )
    return roster, created


def generate_shifts(roster: DutyRoster) -> int:
    """Create the shifts the roster's dates × windows call for; existing shifts are left alone."""
    existing = set(roster.shifts.values_list("date", "start_time"))
    people = list(roster.people.all())
    new = [
        DutyShift(
            roster=roster,
            point_id=roster.point_id,
            date=day,
            start_time=start,
            end_time=end,
            required_count=roster.required_count,
        )
        for day in roster_dates(roster)
        for start, end in roster.time_windows()
        if (day, start) not in existing
    ]
    DutyShift.objects.bulk_create(new, batch_size=500)  # sets pks on PostgreSQL and SQLite ≥ 3.35
    if people and new:
        through = DutyShift.people.through
        through.objects.bulk_create(
            [through(dutyshift_id=shift.pk, person_id=person.pk) for shift in new for person in people],
            batch_size=1000,
        )
    return len(new)


def restaff_shift(
    shift: DutyShift, people: list[Any], required_count: int, actor: Any, request: HttpRequest | None = None
) -> DutyShift:
    """Change who stands one shift (someone is ill, a swap) without touching the roster."""
    with transaction.atomic():
        locked = DutyShift.objects.select_for_update().get(pk=shift.pk)
        before = sorted(locked.people.values_list("pk", flat=True))
        locked.required_count = required_count
        locked.save(update_fields=["required_count"])
        locked.people.set(people)
        log_action(
            actor,
            "points.shift.restaff",
            locked,
            {"people": [before, sorted(p.pk for p in people)], "required_count": required_count},
            request=request,
        )
    return locked


def _position(lat: Any, lng: Any) -> tuple[float, float]:
    try:
        return geo.parse_position(lat, lng)
    except geo.PositionError as exc:
        raise DomainError(str(exc)) from exc


def _require_rostered(shift: DutyShift, user: Any) -> Any:
    person = person_of(user)
    if person is None:
        raise DomainError(
            _("Your login is not linked to a person on any duty roster. Ask your unit admin to add you.")
        )
    if not shift.people.filter(pk=person.pk).exists():
        raise DomainError(
            _(
                "%(name)s is not on the roster for this shift (%(point)s, %(date)s %(start)s–%(end)s), so the check-in is refused."
            )
            % {
                "name": person.name,
                "point": shift.point.name,
                "date": shift.date,
                "start": time_format(shift.start_time, "H:i"),
                "end": time_format(shift.end_time, "H:i"),
            }
        )
    return person


def check_in(
    shift: DutyShift,
    user: Any,
    lat: Any,
    lng: Any,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> tuple[CheckIn, bool]:
    """Sign in for a shift; (check-in, created). A second tap returns the first check-in."""
    person = _require_rostered(shift, user)
    existing = CheckIn.objects.filter(shift=shift, person=person).first()
    if existing:
        return existing, False
    lat_f, lng_f = _position(lat, lng)
    now = now or timezone.now()
    if now < shift.starts_at() - CHECKIN_OPENS_BEFORE:
        raise DomainError(_("Check-in for this shift opens one hour before it starts."))
    if now > shift.ends_at():
        raise DomainError(_("This shift has already ended; it can no longer be checked in."))
    distance = shift.point.distance_to(lat_f, lng_f)
    outside = distance is not None and distance > shift.point.radius_m
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                shift=shift,
                person=person,
                user=user,
                checked_in_at=now,
                in_lat=lat_f,
                in_lng=lng_f,
                in_distance_m=distance,
                in_outside=outside,
            )
            log_action(
                user,
                "points.duty.check_in",
                checkin,
                {"distance_m": round(distance) if distance is not None else None, "outside": outside},
                request=request,
            )
    except IntegrityError:
        # Two taps raced: the other request stored it first; return that one.
        return CheckIn.objects.get(shift=shift, person=person), False
    return checkin, True


def check_out(
    shift: DutyShift,
    user: Any,
    lat: Any,
    lng: Any,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> CheckIn:
    """Sign out of a shift (once; a repeated tap changes nothing)."""
    person = _require_rostered(shift, user)
    lat_f, lng_f = _position(lat, lng)
    with transaction.atomic():
        checkin = CheckIn.objects.select_for_update().filter(shift=shift, person=person).first()
        if checkin is None:
            raise DomainError(_("You have not checked in for this shift yet."))
        if checkin.checked_out_at:
            return checkin
        distance = shift.point.distance_to(lat_f, lng_f)
        checkin.checked_out_at = now or timezone.now()
        checkin.out_lat, checkin.out_lng, checkin.out_distance_m = lat_f, lng_f, distance
        checkin.out_outside = distance is not None and distance > shift.point.radius_m
        checkin.save(update_fields=["checked_out_at", "out_lat", "out_lng", "out_distance_m", "out_outside"])
        log_action(user, "points.duty.check_out", checkin, {"outside": checkin.out_outside}, request=request)
    return checkin


def add_log(
    point: Point,
    user: Any,
    category: str,
    count: int = 1,
    note: str = "",
    lat: Any = None,
    lng: Any = None,
    photos: list[Any] | None = None,
    client_key: str = "",
    shift: DutyShift | None = None,
    request: HttpRequest | None = None,
) -> tuple[DutyLog, bool]:
    """Record what was done on duty; (entry, created). The same client key stores once."""
    if category not in DutyCategory.values:
        raise DomainError(_("Unknown duty category."))
    if not 1 <= int(count) <= 10_000:
        raise DomainError(_("The count must be between 1 and 10000."))
    if client_key:
        existing = DutyLog.objects.filter(user=user, client_key=client_key[:64]).first()
        if existing:
            return existing, False
    photos = photos or []
    if len(photos) > MAX_PHOTOS_PER_LOG:
        raise DomainError(_("At most %(n)d photos per entry.") % {"n": MAX_PHOTOS_PER_LOG})
    checked = [check_photo(p) for p in photos]  # refuse bad photos before writing anything
    position = None
    if lat not in (None, "") or lng not in (None, ""):
        position = _position(lat, lng)
    person = person_of(user)
    if shift is not None and shift.point_id != point.pk:
        raise DomainError(_("That shift belongs to another point."))
    unit = shift.roster.unit if shift else (person.unit if person else point.unit)
    today = timezone.localdate()
    # The originals are written before the transaction (a slow storage holds no lock) and
    # deleted again if the entry is not saved.
    with FileBatch() as batch:
        names = write_originals(batch, DutyLogPhoto._meta.app_label, checked)
        try:
            with transaction.atomic():
                entry = DutyLog.objects.create(
                    point=point,
                    shift=shift,
                    unit=unit,
                    person=person,
                    user=user,
                    date=today,
                    category=category,
                    count=int(count),
                    note=note[:300],
                    lat=position[0] if position else None,
                    lng=position[1] if position else None,
                    client_key=client_key[:64],
                )
                photos_made = [
                    build_photo(
                        DutyLogPhoto, data, info, user, with_display=False, original_name=name, log=entry
                    )
                    for (data, info), name in zip(checked, names, strict=True)
                ]
                DutyLogPhoto.objects.bulk_create(photos_made)
                if photos_made:
                    from chuangwen.points.jobs import make_display_copies

                    ids = [p.pk for p in photos_made]
                    transaction.on_commit(lambda: make_display_copies(ids))
                log_action(
                    user,
                    "points.duty.log",
                    entry,
                    {"category": category, "count": int(count), "photos": len(checked)},
                    request=request,
                )
        except IntegrityError:
            batch.discard()  # a racing resend stored first, with its own photos
            return DutyLog.objects.get(user=user, client_key=client_key[:64]), False
    return entry, True
