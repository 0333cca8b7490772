"""What a working group owns: the tasks, points and problems of its lead and member units
(and the units below them), listed and filtered by group. The group's responsible person sees
the open ones on the home page (reports/attention.py). Ownership itself is defined once, in
campaigns.groups.owned_by, which the task board, points list and problems inbox filter with too.

It lives beside the home page because it reads tasks, points and problems, which all sit below
campaigns (where the group is defined) and must not be imported from there.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.groups import owned_by
from chuangwen.campaigns.models import WorkingGroup
from chuangwen.points.models import Point
from chuangwen.problems.models import RUNNING_STATUSES, Problem
from chuangwen.tasks.models import Task

KINDS = ("tasks", "points", "problems")
LIST_MAX = 200


def owned(group: WorkingGroup, user: Any, open_only: bool = False) -> dict[str, QuerySet]:
    """The group's tasks, points and problems that the user may see."""
    tasks = owned_by(Task.objects.all(), group)
    problems = owned_by(Problem.objects.all(), group)
    if open_only:
        tasks = tasks.filter(done_confirmed_at__isnull=True)
        problems = problems.filter(status__in=RUNNING_STATUSES)
    return {
        # Tasks reach units through their assignments: Task.visible_to is their scoping helper.
        "tasks": tasks.visible_to(user).order_by("deadline", "id"),
        "points": scoped(owned_by(Point.objects.all(), group), user).select_related("unit"),
        "problems": scoped(problems.select_related("category", "unit"), user).order_by("-id"),
    }


def led_groups(user: Any) -> QuerySet[WorkingGroup]:
    """Groups of the current campaigns whose responsible person is this login."""
    return WorkingGroup.objects.filter(responsible__user=user, campaign__is_current=True).select_related(
        "campaign", "lead_unit"
    )


@login_required
def group_work(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_scoped_or_404(
        WorkingGroup.objects.select_related("campaign", "lead_unit", "responsible"), request.user, pk=pk
    )
    kind = request.GET.get("kind", "")
    open_only = request.GET.get("open") == "1"
    lists = owned(group, request.user, open_only)
    counts = {name: qs.count() for name, qs in lists.items()}
    shown = [kind] if kind in KINDS else list(KINDS)
    return render(
        request,
        "reports/group_work.html",
        {
            "group": group,
            "counts": counts,
            "kind": kind,
            "open_only": open_only,
            "tasks": list(lists["tasks"][:LIST_MAX]) if "tasks" in shown else None,
            "points": list(lists["points"][:LIST_MAX]) if "points" in shown else None,
            "problems": list(lists["problems"][:LIST_MAX]) if "problems" in shown else None,
        },
    )
