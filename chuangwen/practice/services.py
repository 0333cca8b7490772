"""Practice ledger transitions: an entry (with photos, idempotent per upload key), a volunteer
activity recorded as an entry, and the point's 阵地建设 checklist; plus the office's rhythm view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.errors import DomainError
from chuangwen.materials.uploads import StoredFiles, check_uploads
from chuangwen.points.models import Point
from chuangwen.practice.models import STANDARD_ITEMS, LedgerEntry, LedgerPhoto, StandardCheck, Theme

MAX_PHOTOS = 9
# Point types that keep a practice ledger: 新时代文明实践中心/所/站, schools, 市民学校.
TYPE_WORDS = ("文明实践", "学校")


def min_per_month() -> int:
    """The rhythm the campaign sets (default: at least one activity a month per point)."""
    return int(getattr(settings, "PRACTICE_MIN_PER_MONTH", 1))


def practice_points(qs: QuerySet[Point]) -> QuerySet[Point]:
    q = Q()
    for word in TYPE_WORDS:
        q |= Q(point_type__name__contains=word)
    return qs.filter(q, is_active=True)


@dataclass
class EntryData:
    date: dt.date
    theme: str
    title: str
    organiser: str
    participants: int
    record: str = ""
    attendees: str = ""


def add_entry(
    point: Point,
    actor: Any,
    data: EntryData,
    uploads: list[Any] | None = None,
    idempotency_key: str = "",
    activity: Any = None,
    request: HttpRequest | None = None,
) -> tuple[LedgerEntry, bool]:
    """Record an activity at the point; (entry, created). A resend with the same key returns
    the first entry and stores nothing."""
    key = (idempotency_key or "")[:64]
    if key:
        earlier = LedgerEntry.objects.filter(created_by=actor, client_key=key).first()
        if earlier:
            return earlier, False
    if data.theme not in Theme.values:
        raise DomainError(_("Choose a theme."))
    if data.date > timezone.localdate():
        raise DomainError(_("The ledger records activities held, not planned: the date is in the future."))
    if not data.title.strip() or not data.organiser.strip():
        raise DomainError(_("Give the activity a title and an organiser."))
    uploads = uploads or []
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(_("At most %(n)d photos per activity.") % {"n": MAX_PHOTOS})
    checked = check_uploads(uploads) if uploads else None
    if checked is not None and checked.documents:
        raise DomainError(_("Only photos can be attached to a ledger entry."))
    stored = StoredFiles("practice")
    try:
        if checked is not None:
            stored.write_checked(checked)
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                point=point,
                date=data.date,
                theme=data.theme,
                title=data.title.strip()[:120],
                organiser=data.organiser.strip()[:120],
                participants=data.participants,
                attendees=data.attendees.strip(),
                record=data.record.strip()[:1000],
                activity=activity,
                created_by=actor,
                client_key=key,
            )
            for photo in checked.photos if checked is not None else []:
                row = LedgerPhoto(
                    entry=entry,
                    name=photo.name,
                    size=photo.info.size,
                    content_type=photo.info.content_type,
                    sha256=photo.info.sha256,
                )
                row.file.name, row.display.name = stored.names_for(photo)
                row.save()
            log_action(
                actor,
                "practice.entry.add",
                entry,
                {"point": point.pk, "theme": data.theme, "participants": data.participants},
                request=request,
            )
    except IntegrityError:
        stored.discard()
        earlier = LedgerEntry.objects.filter(created_by=actor, client_key=key).first() if key else None
        if earlier:
            return earlier, False
        raise
    except BaseException:
        stored.discard()
        raise
    return entry, True


def entry_from_activity(
    point: Point, activity: Any, actor: Any, theme: str, request: HttpRequest | None = None
) -> LedgerEntry:
    """A volunteer activity held at the point, recorded with who signed in."""
    signed = list(
        activity.records.filter(signed_in_at__isnull=False)
        .select_related("volunteer")
        .order_by("signed_in_at")
    )
    if activity.point_id != point.pk:
        raise DomainError(_("The volunteer activity was not held at this point."))
    entry, _created = add_entry(
        point,
        actor,
        EntryData(
            date=timezone.localtime(activity.starts_at).date(),
            theme=theme,
            title=activity.title,
            organiser=activity.unit.name,
            participants=len(signed),
            attendees="、".join(r.volunteer.name for r in signed),
            record=activity.description,
        ),
        activity=activity,
        request=request,
    )
    return entry


def save_standards(
    point: Point, actor: Any, values: dict[str, tuple[bool, str]], request: HttpRequest | None = None
) -> None:
    """Record the point's 阵地建设 checklist (every item given)."""
    keys = {key for key, _label in STANDARD_ITEMS}
    with transaction.atomic():
        Point.objects.select_for_update().filter(pk=point.pk).first()
        changes = {}
        for key, (met, note) in values.items():
            if key not in keys:
                continue
            check, _new = StandardCheck.objects.get_or_create(point=point, item=key)
            if check.met != met or check.note != note[:200]:
                changes[key] = met
            check.met, check.note = met, note[:200]
            check.checked_by, check.checked_at = actor, timezone.now()
            check.save()
        log_action(actor, "practice.standards.save", point, {"changed": changes}, request=request)


@dataclass
class PointRhythm:
    point: Point
    last_30: int
    last_90: int
    last_date: dt.date | None
    standards_met: int

    @property
    def behind(self) -> bool:
        return self.last_30 < min_per_month()


def rhythm(points: QuerySet[Point], today: dt.date | None = None) -> list[PointRhythm]:
    """Per point: activities in the last month and quarter, the latest, standards met."""
    today = today or timezone.localdate()
    rows = points.select_related("unit", "point_type").annotate(
        n30=Count("practice_entries", filter=Q(practice_entries__date__gt=today - dt.timedelta(days=30))),
        n90=Count("practice_entries", filter=Q(practice_entries__date__gt=today - dt.timedelta(days=90))),
        last=Max("practice_entries__date"),
    )
    met = dict(
        StandardCheck.objects.filter(point__in=points, met=True)
        .values("point_id")
        .annotate(n=Count("id"))
        .values_list("point_id", "n")
    )
    return [
        PointRhythm(p, p.n30, p.n90, p.last, met.get(p.pk, 0)) for p in rows.order_by("unit__path", "name")
    ]
