"""Daily reminders: tasks due within three days and overdue tasks, to the people who own them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.notifications.services import notify
from chuangwen.tasks.models import (
    PERIODIC,
    AssignmentRole,
    Cadence,
    ProgressReport,
    Task,
    TaskAssignment,
    TaskState,
)
from chuangwen.tasks.periods import month_start, quarter_start

DUE_SOON_DAYS = 3
BATCH = 1000  # tasks whose recipients are looked up together (keeps IN lists short)
# Whose memberships in an owning unit make them answer for its tasks.
OWNER_ROLES = (Role.UNIT_ADMIN, Role.LIAISON)


def recipients(tasks: list[Task]) -> dict[int, set[User]]:
    """Task id -> the users to tell: its responsible people and leader (when they have a
    login), and the admins and liaisons of its lead and responsible units."""
    ids = [t.pk for t in tasks]
    found: dict[int, set[User]] = defaultdict(set)
    for task in (
        Task.objects.filter(pk__in=ids).prefetch_related("people__user").select_related("leader__user")
    ):
        for person in [*task.people.all(), task.leader]:
            if person is not None and person.user_id and person.user.is_active:
                found[task.pk].add(person.user)
    units_of: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in TaskAssignment.objects.filter(
        task_id__in=ids, role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE]
    ).values_list("task_id", "unit_id"):
        units_of[unit_id].append(task_id)
    for membership in Membership.objects.filter(
        unit_id__in=units_of, role__in=OWNER_ROLES, user__is_active=True
    ).select_related("user"):
        for task_id in units_of[membership.unit_id]:
            found[task_id].add(membership.user)
    return found


def due_tasks(today: dt.date) -> list[tuple[Task, str]]:
    """(task, 'overdue' | 'due_soon') for every open task that needs a reminder today."""
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    reports = ProgressReport.objects.filter(task=OuterRef("pk"))
    qs = (
        Task.objects.with_state(today)
        .exclude(state=TaskState.DONE)
        .filter(
            Q(state=TaskState.OVERDUE) | Q(due__gte=today, due__lte=horizon) | Q(cadence=Cadence.NAMED_DATES)
        )
        .annotate(
            reported_this_month=Exists(reports.filter(month__gte=month_start(today))),
            reported_this_quarter=Exists(reports.filter(month__gte=quarter_start(today))),
        )
    )
    found = []
    for task in qs.iterator(chunk_size=2000):
        if task.state == TaskState.OVERDUE:
            found.append((task, "overdue"))
            continue
        due = task.next_due(today)
        if due is None or not today <= due <= horizon:
            continue
        if task.cadence in PERIODIC and (
            task.reported_this_quarter if task.cadence == Cadence.QUARTERLY else task.reported_this_month
        ):
            continue  # this period's report is in
        found.append((task, "due_soon"))
    return found


def send_reminders(today: dt.date | None = None) -> int:
    """Notify owners of tasks due soon and overdue; once per task and day (safe to re-run)."""
    today = today or timezone.localdate()
    pending = due_tasks(today)
    if not pending:
        return 0
    sent = 0
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        who = recipients([task for task, _kind in batch])
        for task, kind in batch:
            sent += _remind(task, kind, who.get(task.pk), today)
    return sent


def _remind(task: Task, kind: str, users: set[User] | None, today: dt.date) -> int:
    if not users:
        return 0
    due = task.next_due(today)
    if kind == "overdue":
        title = _("Overdue: %(task)s") % {"task": task.title[:80]}
    else:
        title = _("Due %(date)s: %(task)s") % {
            "date": due.isoformat() if due else "",
            "task": task.title[:80],
        }
    url = reverse("tasks:detail", kwargs={"pk": task.pk})
    return len(notify(users, title, task.requirement[:300], url, key=f"task:{task.pk}:{today.isoformat()}"))
