"""API routes of tasks: the board, my tasks, one task, and submitting progress."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from chuangwen.accounts.permissions import REPORT_PROGRESS, has_any_role
from chuangwen.accounts.scope import get_scoped_or_404
from chuangwen.campaigns.groups import picked_group
from chuangwen.core.errors import DomainError
from chuangwen.core.pagination import Pagination
from chuangwen.org.models import Unit
from chuangwen.tasks import queries, services
from chuangwen.tasks.models import Task, TaskState

router = Router(tags=["tasks"])


class AssignmentOut(Schema):
    unit_id: int
    unit_name: str
    role: str
    note: str

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class TaskOut(Schema):
    id: int
    campaign_id: int
    indicator_id: int
    indicator: str
    title: str
    method: str
    cadence: str
    deadline: dt.date | None
    due: dt.date | None
    state: str
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_indicator(obj: Task) -> str:
        return str(obj.indicator)

    @staticmethod
    def resolve_assignments(obj: Task) -> list:
        return list(obj.assignments.all())


class MilestoneOut(Schema):
    seq: int
    month: dt.date | None
    label: str
    text: str


class ReportOut(Schema):
    id: int
    task_id: int
    unit_id: int
    month: dt.date
    text: str
    submitted_at: dt.datetime
    is_late: bool


class TaskDetailOut(TaskOut):
    requirement: str
    leader_text: str
    people_text: str
    deadline_text: str
    schedule: dict
    arrangements: str
    material_requirement: str
    done_confirmed_at: dt.datetime | None
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(obj: Task) -> list:
        return list(obj.milestones.all())


class ReportIn(Schema):
    unit_id: int
    month: dt.date
    text: str


@router.get("/", response=list[TaskOut], summary="Tasks the caller can see (filter by unit, method, state)")
@paginate(Pagination)
def list_tasks(
    request: HttpRequest,
    campaign_id: int | None = None,
    unit_id: int | None = None,
    method: str = "",
    state: str = "",
    q: str = "",
    group_id: int | None = None,
):
    group = picked_group(request.auth, group_id)
    campaign = queries.pick_campaign(request.auth, campaign_id or (group.campaign_id if group else None))
    unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id) if unit_id else None
    qs = queries.tasks_for(
        request.auth, campaign, unit=unit, method=method, state=state, query=q, group=group
    )
    return queries.with_units(queries.nearest_first(qs))


@router.get("/mine", response=list[TaskOut], summary="My open tasks, nearest deadline first")
@paginate(Pagination)
def my_tasks(request: HttpRequest):
    qs = queries.tasks_for(request.auth, queries.pick_campaign(request.auth)).exclude(state=TaskState.DONE)
    return queries.with_units(queries.nearest_first(qs))


@router.get("/{task_id}", response=TaskDetailOut, summary="One task with its milestones")
def get_task(request: HttpRequest, task_id: int):
    return queries.get_task_or_404(request.auth, task_id)


@router.post("/{task_id}/reports", response=ReportOut, summary="Report a unit's progress for a month")
def submit_report(request: HttpRequest, task_id: int, payload: ReportIn):
    if not has_any_role(request.auth, REPORT_PROGRESS):
        raise PermissionError("only a unit's admin or liaison (or the office) reports progress")
    task = queries.get_task_or_404(request.auth, task_id)
    unit = next((u for u in services.reporting_units(task, request.auth) if u.pk == payload.unit_id), None)
    if unit is None:
        raise DomainError("the unit is not one of this task's units that you report for")
    return services.submit_report(task, unit, payload.month, payload.text, request.auth, request=request)
