"""评选表彰 of 文明志愿者 and outstanding teams: candidates from the year's confirmed hours, a
unit's nomination, the office's review, and publication of the year's list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.scope import scoped
from chuangwen.audit.services import log_action
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.volunteers.models import (
    Commendation,
    CommendationStatus,
    RecordStatus,
    ServiceRecord,
    Team,
    Volunteer,
)


def candidates(user: Any, year: int, limit: int = 30) -> list[dict[str, Any]]:
    """Volunteers in the user's scope with the most confirmed hours in the year (not yet nominated)."""
    volunteers = scoped(Volunteer.objects.all(), user).values("pk")
    rows = (
        ServiceRecord.objects.filter(volunteer__in=volunteers, status=RecordStatus.CONFIRMED, day__year=year)
        .values("volunteer_id")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by("-hours")[: limit * 2]
    )
    taken = set(
        Commendation.objects.filter(year=year, volunteer__isnull=False).values_list("volunteer_id", flat=True)
    )
    by_pk = Volunteer.objects.select_related("unit").in_bulk([r["volunteer_id"] for r in rows])
    return [
        {"volunteer": by_pk[r["volunteer_id"]], "hours": r["hours"], "activities": r["n"]}
        for r in rows
        if r["volunteer_id"] not in taken
    ][:limit]


def _year_figures(volunteer_ids: list[int], year: int) -> tuple[Decimal, int]:
    agg = ServiceRecord.objects.filter(
        volunteer_id__in=volunteer_ids, status=RecordStatus.CONFIRMED, day__year=year
    ).aggregate(h=Sum("hours"), n=Count("id"))
    return agg["h"] or Decimal("0"), agg["n"] or 0


def nominate(
    actor: Any,
    year: int,
    volunteer: Volunteer | None = None,
    team: Team | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Commendation:
    """A unit nominates a volunteer or a team; the year's figures are kept with the nomination."""
    if (volunteer is None) == (team is None):
        raise DomainError(_("Nominate either a volunteer or a team."))
    if volunteer is not None:
        hours, count = _year_figures([volunteer.pk], year)
        unit = volunteer.unit
    else:
        hours, count = _year_figures(list(team.members.values_list("pk", flat=True)), year)
        unit = team.unit
    try:
        with transaction.atomic():
            item = Commendation.objects.create(
                year=year,
                volunteer=volunteer,
                team=team,
                unit=unit,
                hours=hours,
                activities=count,
                reason=reason[:300],
                nominated_by=actor,
            )
            log_action(actor, "volunteers.commendation.nominate", item, {"year": year}, request=request)
    except IntegrityError as exc:
        raise DomainError(_("Already nominated for this year.")) from exc
    return item


def review(
    item: Commendation, actor: Any, approve: bool, note: str = "", request: HttpRequest | None = None
) -> Commendation:
    """The office approves or declines a nomination (until the year's list is published)."""
    with transaction.atomic():
        locked = Commendation.objects.select_for_update().get(pk=item.pk)
        if locked.status != item.status:
            raise ConflictError(_("Somebody reviewed this nomination first; reload the page."))
        if locked.status == CommendationStatus.PUBLISHED:
            raise DomainError(_("The list is published; the nomination can no longer change."))
        locked.status = CommendationStatus.APPROVED if approve else CommendationStatus.REJECTED
        locked.reviewed_by = actor
        locked.review_note = note[:200]
        locked.save(update_fields=["status", "reviewed_by", "review_note"])
        log_action(
            actor, "volunteers.commendation.review", locked, {"status": locked.status}, request=request
        )
    return locked


def publish(year: int, actor: Any, request: HttpRequest | None = None) -> int:
    """Publish the year's approved nominations; how many."""
    with transaction.atomic():
        approved = list(
            Commendation.objects.select_for_update().filter(year=year, status=CommendationStatus.APPROVED)
        )
        if not approved:
            raise DomainError(_("No approved nominations to publish for this year."))
        now = timezone.now()
        for item in approved:
            item.status = CommendationStatus.PUBLISHED
            item.published_at = now
        Commendation.objects.bulk_update(approved, ["status", "published_at"])
        log_action(
            actor,
            "volunteers.commendation.publish",
            None,
            {"year": year, "count": len(approved)},
            request=request,
            object_repr=str(year),
        )
    return len(approved)
