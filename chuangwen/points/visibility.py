"""Which points a user may open: the one rule, built on the scoping helper.

A point is visible to a user when
1. its responsible unit is in the user's scope (`accounts.scope.scoped`, scope_field "unit"), or
2. the user's own person record is on a duty shift at the point (police or volunteers from
   another unit must open the page their QR code leads to, to check in), or
3. another app vouches for it through a registered provider: the inspections app registers
   "points of open rounds assigned to a team the user belongs to" (an inspector of the
   supervision team has no unit scope over streets, yet must inspect the points drawn).

Providers keep the dependency downward: inspections imports points, never the reverse.
Nothing here widens *actions*: roles and the owning services still decide what may be done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404

from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.points.models import DutyShift, Point

# Each provider returns a queryset of point ids (values_list("point_id")) or None.
Provider = Callable[[Any], models.QuerySet | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def person_of(user: Any) -> Any:
    """The org.Person linked to the login, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_person_cache", False)
    if cached is False:
        from chuangwen.org.models import Person

        cached = Person.objects.filter(user=user, is_active=True).first()
        user._person_cache = cached
    return cached


def visible_points(queryset: models.QuerySet[Point], user: Any) -> models.QuerySet[Point]:
    scope = scope_for(user)
    if scope.everything:
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    condition = Q(pk__in=scoped(Point.objects.all(), user).values("pk"))
    person = person_of(user)
    if person is not None:
        condition |= Q(pk__in=DutyShift.objects.filter(people=person).values("point_id"))
    for provider in _providers:
        ids = provider(user)
        if ids is not None:
            condition |= Q(pk__in=ids)
    return queryset.filter(condition)


def get_visible_point_or_404(queryset: models.QuerySet[Point], user: Any, **lookup: Any) -> Point:
    try:
        return visible_points(queryset, user).get(**lookup)
    except Point.DoesNotExist as exc:
        raise Http404 from exc
