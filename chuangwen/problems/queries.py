"""Queries over many problems: inbox, verification queue, overdue list, possible duplicates.

All start from `visible(user)`, the scoping helper applied to problems.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.campaigns.groups import owned_by
from chuangwen.campaigns.models import WorkingGroup
from chuangwen.core.geo import haversine_m
from chuangwen.problems import conf
from chuangwen.problems.models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    Problem,
    ProblemCategory,
    Status,
)
from chuangwen.problems.permissions import VERIFY, has_any_role

LIST_RELATED = ("category", "category__parent", "unit")


def visible(user: Any) -> QuerySet[Problem]:
    return scoped(Problem.objects.all(), user)


def inbox(user: Any, group: WorkingGroup | None = None) -> QuerySet[Problem]:
    """Open problems the user's units answer for, soonest deadline first; with `group`, only
    those the working group owns (campaigns.groups.owned_by narrows, never widens).

    Only the responsible-unit branch of the scope counts here: problems the user sees because
    their unit reported or verifies them are not theirs to rectify.
    """
    scope = scope_for(user)
    qs = Problem.objects.filter(status__in=RUNNING_STATUSES)
    if not scope.everything:
        # The responsible-unit branch of the scope alone: it implies visibility, and the
        # (unit, status, deadline) index then answers the filter and the order by itself.
        qs = qs.filter(unit__in=scope.units().values("pk"))
    if group is not None:
        qs = owned_by(qs, group)
    return qs.select_related(*LIST_RELATED).order_by("deadline", "id")


def inbox_page(
    user: Any, number: Any, per_page: int = 50, group: WorkingGroup | None = None
) -> tuple[Any, list[Problem]]:
    """One page of the inbox: the count and the page's ids come from the index alone; only
    the page's rows are then read with their category and unit (a street with thousands of
    open problems sorts ids, not joined rows)."""
    ids = inbox(user, group).select_related(None).values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    rows = Problem.objects.select_related(*LIST_RELATED).in_bulk(list(page.object_list))
    return page, [rows[pk] for pk in page.object_list if pk in rows]


def to_verify(user: Any) -> QuerySet[Problem]:
    """Submitted problems waiting for this inspector's team (or, for the office, any)."""
    if not has_any_role(user, VERIFY):
        return Problem.objects.none()
    scope = scope_for(user)
    qs = visible(user).filter(status=Status.SUBMITTED)
    if not scope.everything:
        qs = qs.filter(verify_unit__in=scope.units().values("pk"))
    return qs.select_related(*LIST_RELATED).order_by("submitted_at", "id")


def overdue(user: Any, now: dt.datetime | None = None) -> QuerySet[Problem]:
    return visible(user).overdue(now).select_related(*LIST_RELATED).order_by("deadline", "id")


def due_soon(user: Any, now: dt.datetime | None = None) -> QuerySet[Problem]:
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=max(conf.get("PROBLEM_DUE_SOON_HOURS"), 24))
    return inbox(user).filter(deadline__gte=now, deadline__lt=horizon)


def nearby_ids(
    category: ProblemCategory,
    lat: float | None,
    lng: float | None,
    now: dt.datetime | None = None,
    exclude_id: int | None = None,
) -> list[tuple[int, int]]:
    """(id, metres) of open problems of the same category within the duplicate radius and
    window, nearest first.

    A bounding box in degrees narrows the rows (indexed by category and time); the exact
    distance is then computed in Python. This deliberately ignores the user's scope: a grid
    worker must learn that the street already knows about the litter they are photographing.
    Callers show only what a duplicate check needs (category, distance, time, status).
    """
    if lat is None or lng is None:
        return []
    now = now or timezone.now()
    radius = conf.get("PROBLEM_DUPLICATE_RADIUS_M")
    d_lat = radius / 111_320
    d_lng = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    qs = Problem.objects.filter(
        category=category,
        status__in=OPEN_STATUSES,
        reported_at__gte=now - dt.timedelta(days=conf.get("PROBLEM_DUPLICATE_DAYS")),
        lat__range=(lat - d_lat, lat + d_lat),
        lng__range=(lng - d_lng, lng + d_lng),
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    found = []
    for pk, p_lat, p_lng in qs.values_list("pk", "lat", "lng")[:200]:
        distance = haversine_m(lat, lng, p_lat, p_lng)
        if distance <= radius:
            found.append((pk, round(distance)))
    return sorted(found, key=lambda item: item[1])


@dataclass(frozen=True)
class NearbyProblem:
    """A possible duplicate as the reporter may see it. For a problem outside the reporter's
    scope only category, distance, age and status are filled: another unit's problem number,
    words and exact time are not theirs to read (issue 23)."""

    choice: str  # the value a reporter sends back to say "mine is this one"
    category: str
    distance_m: int
    age: dt.timedelta
    status: str
    status_label: str
    id: int | None = None
    reported_at: dt.datetime | None = None
    description: str | None = None

    @property
    def age_hours(self) -> int:
        return max(int(self.age.total_seconds() // 3600), 0)


def nearby_choice(user: Any, pk: int) -> str:
    """An opaque name for a nearby problem, valid for this user only: the page can offer
    "add my photos to it" without telling a sibling unit the problem's number."""
    return "n" + salted_hmac("chuangwen.problems.nearby", f"{user.pk}:{pk}").hexdigest()[:20]


def possible_duplicates(
    user: Any,
    category: ProblemCategory,
    lat: float | None,
    lng: float | None,
    now: dt.datetime | None = None,
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[NearbyProblem]:
    """The nearest possible duplicates, each shown in full only if `user` may open it."""
    now = now or timezone.now()
    hits = nearby_ids(category, lat, lng, now, exclude_id)[:limit]
    if not hits:
        return []
    ids = [pk for pk, _m in hits]
    rows = Problem.objects.select_related("category").in_bulk(ids)
    mine = set(visible(user).filter(pk__in=ids).values_list("pk", flat=True))
    result = []
    for pk, metres in hits:
        problem = rows[pk]
        common = {
            "category": problem.category.name,
            "distance_m": metres,
            "age": now - problem.reported_at,
            "status": problem.status,
            "status_label": str(problem.get_status_display()),
        }
        if pk in mine:
            shown = NearbyProblem(
                choice=str(pk),
                id=pk,
                reported_at=problem.reported_at,
                description=problem.description,
                **common,
            )
        else:
            shown = NearbyProblem(choice=nearby_choice(user, pk), **common)
        result.append(shown)
    return result


def chosen_duplicate(
    user: Any, choice: str, category: ProblemCategory, lat: float | None, lng: float | None
) -> Problem | None:
    """The open nearby problem the reporter picked: by number only among problems they may
    open (a guessed number of another unit's problem finds nothing), otherwise by the opaque
    choice the page offered them."""
    hits = [pk for pk, _m in nearby_ids(category, lat, lng)]
    if choice.isdigit():
        pk = int(choice)
        found = pk in hits and visible(user).filter(pk=pk).exists()
        return Problem.objects.filter(pk=pk).first() if found else None
    for pk in hits:
        if constant_time_compare(nearby_choice(user, pk), choice):
            return Problem.objects.filter(pk=pk).first()
    return None


# Minor categories by id, kept for CATEGORIES_SECONDS per process: every report reads its
# category, categories change a few times a year (in the admin), and saving one clears this
# process's copy at once (other processes see it within the minute).
CATEGORIES_SECONDS = 60.0
_categories: tuple[float, dict[int, ProblemCategory]] | None = None


def forget_categories(**_kwargs: Any) -> None:
    global _categories
    _categories = None


def minor_category(pk: int) -> ProblemCategory | None:
    """The minor (reportable) category with this id, with its parent loaded; None if unknown."""
    global _categories
    now = time.monotonic()
    if _categories is None or now - _categories[0] >= CATEGORIES_SECONDS:
        rows = ProblemCategory.objects.filter(parent__isnull=False).select_related("parent")
        _categories = (now, {c.pk: c for c in rows})
    return _categories[1].get(pk)
