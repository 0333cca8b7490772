"""Writing a checked task table (see importing.read_task_table) in one transaction.

Tasks are matched by their source key, so a second import of the same table updates in
place. Rows are written in bulk: a 3,000-row table is a few dozen statements, one audit
entry for the import and one per existing task that changed (the task's history).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from chuangwen.audit.services import diff, log_action
from chuangwen.core.text import normalize_name
from chuangwen.indicators.models import EvaluationSystem, Indicator
from chuangwen.org.models import Person
from chuangwen.tasks.importing import IndicatorRef, TaskRow, TaskTable
from chuangwen.tasks.models import Task, TaskAssignment, TaskMilestone

TRACKED = [
    "indicator_id",
    "title",
    "requirement",
    "method",
    "leader_text",
    "people_text",
    "cadence",
    "deadline",
    "deadline_text",
    "schedule",
    "arrangements",
    "material_requirement",
]


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    indicators_created: int = 0


def _ensure_indicators(table: TaskTable) -> EvaluationSystem:
    system = table.system
    if system is None:
        system = EvaluationSystem.objects.create(
            name=f"{table.campaign.name} 测评体系"[:120], campaign=table.campaign, level=table.campaign.level
        )
        table.system = system

    def materialise(ref: IndicatorRef) -> Indicator:
        if ref.existing is None:
            parent = materialise(ref.parent) if ref.parent is not None else None
            ref.existing, _created = Indicator.objects.get_or_create(
                system=system,
                code=ref.code,
                defaults={"level": ref.level, "name": ref.name, "standard": ref.standard, "parent": parent},
            )
        return ref.existing

    for ref in sorted(table.new_indicators.values(), key=lambda r: r.level):
        materialise(ref)
    return system


def _values(row: TaskRow) -> dict[str, Any]:
    return {
        "indicator_id": row.indicator.existing.pk,
        "title": row.title,
        "requirement": row.requirement,
        "method": row.method,
        "leader_text": row.leader_text,
        "people_text": row.people_text,
        "cadence": row.schedule.cadence,
        "deadline": row.schedule.deadline,
        "deadline_text": row.schedule.text,
        "schedule": row.schedule.as_json(),
        "arrangements": row.arrangements,
        "material_requirement": row.material_requirement,
    }


@transaction.atomic
def apply_task_table(table: TaskTable, actor: Any, request: Any = None) -> ApplyResult:
    if not table.ok:
        raise ValueError("refusing to write a table with errors")
    result = ApplyResult()
    before_count = len([r for r in table.new_indicators.values() if r.existing is None])
    _ensure_indicators(table)
    result.indicators_created = before_count
    campaign = table.campaign
    existing = {
        t.source_key: t
        for t in Task.objects.filter(campaign=campaign, source_key__in=[r.source_key for r in table.tasks])
    }
    to_create: list[Task] = []
    to_update: list[Task] = []
    changes: dict[str, dict] = {}
    for row in table.tasks:
        values = _values(row)
        task = existing.get(row.source_key)
        if task is None:
            task = Task(campaign=campaign, source_key=row.source_key, source_row=row.row, **values)
            to_create.append(task)
            existing[row.source_key] = task
            continue
        before = {k: getattr(task, k) for k in TRACKED}
        changed = diff(before, values)
        for key in changed:
            setattr(task, key, values[key])
        if changed:
            changes[row.source_key] = changed
        if changed or task.source_row != row.row:
            # A row that only moved in the sheet is written (to keep the order) but is no change.
            task.source_row = row.row
            to_update.append(task)
    Task.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Task.objects.bulk_update(to_update, [*TRACKED, "source_row", "updated_at"], batch_size=500)
    result.created, result.updated = len(to_create), len(changes)
    result.unchanged = len(table.tasks) - result.created - result.updated
    created_keys = {t.source_key for t in to_create}
    units_changed = _write_assignments(table, existing)
    _write_people(table, existing)
    _write_milestones(table, existing, created_keys | set(changes))
    # Creation is recorded once for the whole import (a task's history shows the imports since
    # it was created); each change to an existing task gets its own entry with the diff.
    for row in table.tasks:
        task = existing[row.source_key]
        if row.source_key in created_keys:
            continue
        if row.source_key in changes or task.pk in units_changed:
            entry = dict(changes.get(row.source_key, {}))
            if task.pk in units_changed:
                entry["units"] = units_changed[task.pk]
                if row.source_key not in changes:
                    result.updated += 1
                    result.unchanged -= 1
            log_action(actor, "tasks.task.import_update", task, entry, request=request)
    log_action(
        actor,
        "tasks.import",
        campaign,
        {
            "rows_read": table.rows_read,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "indicators_created": result.indicators_created,
        },
        request=request,
        object_repr=f"{campaign} · {table.sheet}",
    )
    return result


def _write_assignments(table: TaskTable, tasks: dict[str, Task]) -> dict[int, list]:
    """Make each task's assignments exactly those of its row; returns task id -> [old, new]."""
    ids = [tasks[r.source_key].pk for r in table.tasks]
    current: dict[int, dict[int, TaskAssignment]] = {}
    for a in TaskAssignment.objects.filter(task_id__in=ids).select_related("unit"):
        current.setdefault(a.task_id, {})[a.unit_id] = a
    create, update, delete = [], [], []
    changed: dict[int, list] = {}
    done: set[int] = set()
    for row in table.tasks:
        task = tasks[row.source_key]
        if task.pk in done:
            continue
        done.add(task.pk)
        have = current.get(task.pk, {})
        want = {ref.unit.pk: ref for ref in row.units}
        for unit_id, ref in want.items():
            old = have.get(unit_id)
            if old is None:
                create.append(TaskAssignment(task=task, unit=ref.unit, role=ref.role, note=ref.note))
            elif (old.role, old.note) != (ref.role, ref.note):
                old.role, old.note = ref.role, ref.note
                update.append(old)
        delete += [a.pk for unit_id, a in have.items() if unit_id not in want]
        old_view = sorted(f"{a.unit.name}:{a.role}" for a in have.values())
        new_view = sorted(f"{r.unit.name}:{r.role}" for r in want.values())
        if have and old_view != new_view:
            changed[task.pk] = [old_view, new_view]
    TaskAssignment.objects.filter(pk__in=delete).delete()
    TaskAssignment.objects.bulk_create(create, batch_size=1000)
    if update:
        TaskAssignment.objects.bulk_update(update, ["role", "note"], batch_size=1000)
    return changed


def _write_people(table: TaskTable, tasks: dict[str, Task]) -> None:
    """Link responsible people and the leader to Person records found in the task's units."""
    names = {n for row in table.tasks for n in row.people_names}
    if not names:
        return
    people: dict[str, list[Person]] = {}
    for person in Person.objects.filter(name__in=names, is_active=True).select_related("unit"):
        people.setdefault(normalize_name(person.name), []).append(person)
    through = Task.people.through
    ids = {tasks[r.source_key].pk for r in table.tasks}
    through.objects.filter(task_id__in=ids).delete()
    links = set()
    leaders = []
    for row in table.tasks:
        task = tasks[row.source_key]
        paths = [ref.unit.path for ref in row.units]
        for name in row.people_names:
            # Only someone of one of the task's units (or below): a namesake elsewhere is not them.
            found = [
                p
                for p in people.get(normalize_name(name), [])
                if any(p.unit.path.startswith(x) for x in paths)
            ]
            if len(found) == 1:
                links.add((task.pk, found[0].pk))
                if row.leader_text and name in row.leader_text and task.leader_id != found[0].pk:
                    task.leader = found[0]
                    leaders.append(task)
    through.objects.bulk_create([through(task_id=t, person_id=p) for t, p in links], batch_size=1000)
    if leaders:
        Task.objects.bulk_update(leaders, ["leader"], batch_size=500)


def _write_milestones(table: TaskTable, tasks: dict[str, Task], keys: set[str]) -> None:
    rows = [r for r in table.tasks if r.source_key in keys]
    TaskMilestone.objects.filter(task_id__in=[tasks[r.source_key].pk for r in rows]).delete()
    TaskMilestone.objects.bulk_create(
        [
            TaskMilestone(task=tasks[r.source_key], seq=i, month=m.month, label=m.label, text=m.text)
            for r in rows
            for i, m in enumerate(r.milestones, start=1)
        ],
        batch_size=1000,
    )
