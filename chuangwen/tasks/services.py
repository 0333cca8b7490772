"""State changes of tasks: import, unit aliases, progress reports, the office's confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.storage import FileBatch
from chuangwen.core.text import normalize_name
from chuangwen.org.models import Unit, UnitAlias
from chuangwen.tasks.apply import ApplyResult, apply_task_table
from chuangwen.tasks.attachments import CheckedFile
from chuangwen.tasks.importing import TaskTable
from chuangwen.tasks.models import ProgressAttachment, ProgressReport, Task, TaskAssignment, TaskState
from chuangwen.tasks.periods import month_start

MAX_ATTACHMENTS = 12  # per report; "实景图片 3张, 总数不超过12张" is the usual ceiling


def import_tasks(table: TaskTable, actor: Any, request: Any = None) -> ApplyResult:
    """Write a checked task table in one transaction (everything or nothing)."""
    if not table.ok:
        raise DomainError(_("The table has errors; nothing was written."))
    return apply_task_table(table, actor, request=request)


@transaction.atomic
def map_alias(name: str, unit: Unit, actor: Any, request: Any = None) -> UnitAlias:
    """Remember that `name` (as written in a table) means `unit`, for every later import."""
    key = normalize_name(name)
    if not key:
        raise DomainError(_("The name is empty."))
    if Unit.objects.filter(name_key=key).exclude(pk=unit.pk).exists():
        raise DomainError(_("“%(name)s” is already the name of another unit.") % {"name": name})
    alias = UnitAlias.objects.select_for_update().filter(alias_key=key).first()
    if alias is not None and alias.unit_id != unit.pk:
        raise ConflictError(
            _("“%(name)s” is already an alias of %(unit)s.") % {"name": name, "unit": alias.unit}
        )
    if alias is None:
        alias = UnitAlias.objects.create(unit=unit, alias=name[:120])
        log_action(actor, "org.alias.create", unit, {"alias": name}, request=request)
    return alias


def reporting_units(task: Task, user: Any) -> list[Unit]:
    """The task's assigned units the user may report for (assignments in the user's scope)."""
    from chuangwen.accounts.scope import scoped

    assignments = scoped(TaskAssignment.objects.filter(task=task).select_related("unit"), user)
    return [a.unit for a in assignments.order_by("role", "unit__path")]


def submit_report(
    task: Task,
    unit: Unit,
    month: dt.date,
    text: str,
    actor: Any,
    files: list[CheckedFile] | None = None,
    request: Any = None,
) -> ProgressReport:
    """Record (or amend) a unit's progress on a task for a month, with checked attachments.

    The first submission's time decides lateness; amending later does not move it. The files
    are written before the task is locked, and deleted again if the report is refused.
    """
    files = files or []
    earlier = ProgressReport.objects.filter(task=task, unit=unit, month=month_start(month)).first()
    if earlier is not None and files:
        # The same file again (a double click, a browser resending the form) is kept once: drop
        # it before anything is written (checked again under the lock below).
        kept = set(earlier.attachments.values_list("sha256", flat=True))
        files = [f for f in files if f.sha256 not in kept]
    with FileBatch() as batch:
        names = [batch.write("tasks/reports", checked.extension, checked.data) for checked in files]
        with transaction.atomic():
            return _submit_report(task, unit, month, text, actor, files or [], names, request)


def _submit_report(
    task: Task,
    unit: Unit,
    month: dt.date,
    text: str,
    actor: Any,
    files: list[CheckedFile],
    names: list[str],
    request: Any,
) -> ProgressReport:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_confirmed_at is not None:
        raise DomainError(_("The task has been confirmed done; it takes no more reports."))
    if not TaskAssignment.objects.filter(task=task, unit=unit).exists():
        raise DomainError(_("%(unit)s is not assigned to this task.") % {"unit": unit})
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise DomainError(_("Progress cannot be reported for a future month."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write what was done."))
    report = ProgressReport.objects.select_for_update().filter(task=task, unit=unit, month=month).first()
    pairs = list(zip(files, names, strict=True))
    if report is not None and pairs:
        # A resend that raced past the check before the lock: its copy stays unreferenced and
        # `chuangwen sweep-files` removes it.
        kept = set(report.attachments.values_list("sha256", flat=True))
        pairs = [(f, n) for f, n in pairs if f.sha256 not in kept]
    files = [f for f, _name in pairs]
    existing_files = report.attachments.count() if report else 0
    if existing_files + len(files) > MAX_ATTACHMENTS:
        raise DomainError(_("At most %(n)d files per report.") % {"n": MAX_ATTACHMENTS})
    if report is None:
        report = ProgressReport.objects.create(
            task=task, unit=unit, month=month, text=text, submitted_by=actor
        )
        action, changes = (
            "tasks.report.submit",
            {"unit": unit.name, "month": f"{month:%Y-%m}", "late": report.is_late},
        )
    else:
        changes = {"text": [report.text[:200], text[:200]]} if report.text != text else {}
        report.text = text
        report.save(update_fields=["text", "updated_at"])
        action = "tasks.report.amend"
    for checked, name in pairs:
        attachment = ProgressAttachment(
            report=report,
            original_name=checked.name,
            content_type=checked.content_type,
            extension=checked.extension,
            size=len(checked.data),
            sha256=checked.sha256,
        )
        attachment.file.name = name
        attachment.save()
    if files:
        changes["files"] = [f.name for f in files]
    log_action(actor, action, task, changes, request=request, object_repr=f"{task} · {unit}")
    return report


@transaction.atomic
def confirm_done(task: Task, actor: Any, request: Any = None) -> Task:
    """The office confirms the task done. Needs at least one progress report."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_confirmed_at is not None:
        raise ConflictError(_("The task was already confirmed done."))
    if not task.reports.exists():
        raise DomainError(_("No progress has been reported yet: there is nothing to confirm."))
    task.done_confirmed_at = timezone.now()
    task.done_confirmed_by = user_or_none(actor)
    task.save(update_fields=["done_confirmed_at", "done_confirmed_by", "updated_at"])
    log_action(actor, "tasks.task.confirm_done", task, {"state": [None, TaskState.DONE]}, request=request)
    return task


@transaction.atomic
def reopen(task: Task, actor: Any, reason: str = "", request: Any = None) -> Task:
    """Take back a confirmation (the work turned out not to be done)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_confirmed_at is None:
        raise ConflictError(_("The task is not confirmed done."))
    task.done_confirmed_at = None
    task.done_confirmed_by = None
    task.save(update_fields=["done_confirmed_at", "done_confirmed_by", "updated_at"])
    log_action(
        actor, "tasks.task.reopen", task, {"state": [TaskState.DONE, None], "reason": reason}, request=request
    )
    return task
