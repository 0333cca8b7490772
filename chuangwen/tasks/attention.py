"""'Needs my attention': my tasks due within three days, overdue, and missing this month's report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.scope import scoped
from chuangwen.core.attention import Attention
from chuangwen.tasks.models import PERIODIC, AssignmentRole, ProgressReport, TaskAssignment, TaskState
from chuangwen.tasks.periods import month_start
from chuangwen.tasks.queries import pick_campaign, tasks_for
from chuangwen.tasks.reminders import DUE_SOON_DAYS


def items(user: Any, today: dt.date | None = None) -> list[Attention]:
    today = today or timezone.localdate()
    campaign = pick_campaign(user)
    if campaign is None:
        return []
    open_tasks = tasks_for(user, campaign, today=today).exclude(state=TaskState.DONE)
    board = reverse("tasks:board")
    found: list[Attention] = []
    overdue = open_tasks.filter(state=TaskState.OVERDUE).count()
    if overdue:
        found.append(Attention(_("Overdue tasks"), overdue, f"{board}?state=overdue", "danger"))
    soon = open_tasks.exclude(state=TaskState.OVERDUE).filter(
        due__gte=today, due__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    )
    soon = soon.exclude(cadence__in=PERIODIC).count()
    if soon:
        found.append(Attention(_("Tasks due within 3 days"), soon, reverse("tasks:mine"), "warning"))
    # Monthly tasks of my units with no report from that unit this month (not for the office,
    # whose "units" are the whole territory).
    if not user.is_campaign_wide:
        reported = ProgressReport.objects.filter(
            task=OuterRef("task"), unit=OuterRef("unit"), month=month_start(today)
        )
        missing = (
            scoped(TaskAssignment.objects.filter(task__in=open_tasks.filter(cadence__in=PERIODIC)), user)
            .filter(role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE])
            .exclude(Exists(reported))
            .values("task")
            .distinct()
            .count()
        )
        if missing:
            found.append(
                Attention(_("Monthly progress reports not yet filed"), missing, reverse("tasks:mine"), "info")
            )
    return found
