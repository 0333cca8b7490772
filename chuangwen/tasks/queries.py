"""Reading tasks for pages and the API: scope, filters, counts. One place, used by both."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.campaigns.groups import owned_by
from chuangwen.campaigns.models import Campaign, WorkingGroup
from chuangwen.org.models import Unit
from chuangwen.tasks.models import Task, TaskAssignment, TaskState


def pick_campaign(user: Any, wanted: str | int | None = None) -> Campaign | None:
    return chosen_campaign(user, wanted)


def tasks_for(
    user: Any,
    campaign: Campaign | None = None,
    unit: Unit | None = None,
    method: str = "",
    state: str = "",
    query: str = "",
    today: dt.date | None = None,
    group: WorkingGroup | None = None,
) -> QuerySet[Task]:
    """Tasks the user may see, with `state` and `due` annotated, filtered as asked.

    `unit` narrows to tasks assigned to that unit or a unit below it (the unit's board); the
    caller must have fetched it with the scoping helper. `group` narrows to what the working
    group owns (campaigns.groups.owned_by): a filter on top of the scope, never a widening.
    """
    if unit is not None:
        # The unit came through the scoping helper, so every task assigned to it or below it
        # is visible to the user already: one subquery instead of two.
        qs = Task.objects.filter(
            pk__in=TaskAssignment.objects.filter(unit__path__startswith=unit.path).values("task_id")
        )
    else:
        qs = Task.objects.visible_to(user)
    qs = qs.with_state(today or timezone.localdate())
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if method:
        qs = qs.filter(method="" if method == "unspecified" else method)
    if state:
        qs = qs.filter(state=state)
    if query:
        qs = qs.filter(title__icontains=query)
    if group is not None:
        qs = owned_by(qs, group)
    return qs


def with_units(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.select_related("indicator").prefetch_related(
        Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit").order_by("role", "id"))
    )


def counts(
    qs: QuerySet[Task], method: str = "", state: str = ""
) -> tuple[dict[str, int], dict[str, int], int]:
    """(per state, per method, total of the selection) in one grouped query.

    The state counts are within the chosen method, the method counts within the chosen
    state, and the total is the number of tasks matching both: what a board shows.
    """
    by_state = dict.fromkeys(TaskState.values, 0)
    by_method: dict[str, int] = {}
    total = 0
    for row in qs.order_by().values("state", "method").annotate(n=Count("id")):
        key = row["method"] or "unspecified"
        if not method or key == method:
            by_state[row["state"]] += row["n"]
        if not state or row["state"] == state:
            by_method[key] = by_method.get(key, 0) + row["n"]
        if (not method or key == method) and (not state or row["state"] == state):
            total += row["n"]
    return by_state, dict(sorted(by_method.items())), total


def nearest_first(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.order_by(F("due").asc(nulls_last=True), "id")


def get_task_or_404(user: Any, pk: int, today: dt.date | None = None) -> Task:
    """One task the user may see (404 otherwise, never 403)."""
    task = (
        Task.objects.visible_to(user)
        .with_state(today or timezone.localdate())
        .select_related("campaign", "indicator__parent__parent", "leader", "done_confirmed_by")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task
