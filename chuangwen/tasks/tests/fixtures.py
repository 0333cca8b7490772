"""Test data for tasks: an evaluation system and a task of street A, built on the `world`."""

from __future__ import annotations

import datetime as dt

from chuangwen.indicators.models import Method
from chuangwen.indicators.tests.fixtures import system_of
from chuangwen.tasks.models import AssignmentRole, Cadence, ProgressReport, Task, TaskAssignment


def make_task(world, unit=None, title="开展志愿服务活动", **extra) -> Task:
    system_of(world)
    values = {
        "campaign": world.campaign,
        "indicator": world.__dict__["indicator"],
        "title": title,
        "method": Method.MATERIALS,
        "cadence": Cadence.ONCE,
        "deadline": dt.date.today() + dt.timedelta(days=20),
        **extra,
    }
    task = Task.objects.create(**values)
    TaskAssignment.objects.create(task=task, unit=unit or world.street_a, role=AssignmentRole.RESPONSIBLE)
    return task


def task_a(world) -> Task:
    """Street A's task with one progress report (so the office can confirm it)."""
    if "task_a" not in world.__dict__:
        task = make_task(world)
        report = ProgressReport.objects.create(
            task=task,
            unit=world.street_a,
            month=dt.date.today().replace(day=1),
            text="已开展",
            submitted_by=world.liaison_a,
        )
        world.__dict__.update(task_a=task, report_a=report)
    return world.__dict__["task_a"]
