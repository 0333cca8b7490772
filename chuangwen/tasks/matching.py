"""Which existing task each row of a re-imported table is: so an edited wording updates its
task (shown as 修改 with the difference) instead of creating a second one silently.

A row's source key (indicator, title, method) finds the task it was imported as. A row whose
wording changed has a new key; it is then matched, among the campaign's tasks no other row
took, by its indicator and method and then its responsible units and its number (the row it
was on), in that order of preference. Only rows with no match at all are new.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from chuangwen.tasks.models import Task

if TYPE_CHECKING:
    from chuangwen.tasks.importing import TaskRow, TaskTable

NEW, CHANGED, SAME = "new", "changed", "same"


def _units(task: Task) -> set[tuple[int, str]]:
    return {(a.unit_id, a.role) for a in task.assignments.all()}


def _row_units(row: TaskRow) -> set[tuple[int, str]]:
    return {(u.unit.pk, u.role) for u in row.units}


def _unit_names(task_or_row: Task | TaskRow) -> str:
    if isinstance(task_or_row, Task):
        names = [a.unit.display_name for a in task_or_row.assignments.all()]
    else:
        names = [u.unit.display_name for u in task_or_row.units]
    return "、".join(sorted(names))


def differences(task: Task, row: TaskRow) -> list[tuple[str, str, str]]:
    """(what, before, after) for every field the row changes, in words an office reads."""
    pairs = [
        (_("Task"), task.title, row.title),
        (_("Work requirement"), task.requirement, row.requirement),
        (_("Deadline"), task.deadline_text, row.schedule.text),
        (_("Responsible leader"), task.leader_text, row.leader_text),
        (_("Responsible people"), task.people_text, row.people_text),
        (_("Arrangements"), task.arrangements, row.arrangements),
        (_("Material requirement"), task.material_requirement, row.material_requirement),
    ]
    changes = [
        (label, str(before or ""), str(after or ""))
        for label, before, after in pairs
        if (before or "") != (after or "")
    ]
    if _units(task) != _row_units(row):
        changes.append((_("Units"), _unit_names(task), _unit_names(row)))
    return changes


def match_rows(table: TaskTable) -> None:
    """Mark each row new, changed (with its differences) or the same, re-keying a row whose
    wording changed to the task it matches so that writing it updates that task."""
    tasks = list(
        Task.objects.filter(campaign=table.campaign).prefetch_related("assignments__unit").order_by("id")
    )
    by_key = {t.source_key: t for t in tasks}
    taken: set[int] = set()
    unmatched: list[TaskRow] = []
    for row in table.tasks:
        task = by_key.get(row.source_key)
        if task is None or task.pk in taken:
            unmatched.append(row)
            continue
        taken.add(task.pk)
        _mark(row, task)
    for row in unmatched:
        indicator = row.indicator.existing
        if indicator is None:
            row.status = NEW  # an indicator the import creates has no tasks yet
            continue
        candidates = [
            t
            for t in tasks
            if t.pk not in taken and t.indicator_id == indicator.pk and t.method == row.method
        ]
        units = _row_units(row)
        best = max(
            candidates,
            key=lambda t: ((_units(t) == units), (t.source_row == row.row), -t.pk),
            default=None,
        )
        if best is None or not (_units(best) == units or best.source_row == row.row):
            row.status = NEW
            continue
        taken.add(best.pk)
        row.source_key = best.source_key
        _mark(row, best)


def _mark(row: TaskRow, task: Task) -> None:
    row.changes = differences(task, row)
    row.status = CHANGED if row.changes else SAME
