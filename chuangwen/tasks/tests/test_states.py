import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.tasks import services
from chuangwen.tasks.models import Cadence, ProgressReport, Task, TaskState
from chuangwen.tasks.tests.fixtures import make_task

TODAY = dt.date(2026, 5, 15)


def _state(task, today=TODAY):
    return Task.objects.with_state(today).get(pk=task.pk).state


def _report(task, unit, month, **extra):
    return ProgressReport.objects.create(task=task, unit=unit, month=month, text="进展", **extra)


def test_a_task_with_no_report_before_its_deadline_is_not_started(world):
    task = make_task(world, deadline=dt.date(2026, 6, 30))
    assert _state(task) == TaskState.NOT_STARTED


def test_a_report_makes_it_in_progress(world):
    task = make_task(world, deadline=dt.date(2026, 6, 30))
    _report(task, world.street_a, dt.date(2026, 5, 1))
    assert _state(task) == TaskState.IN_PROGRESS


def test_a_passed_deadline_makes_it_overdue_even_with_reports(world):
    task = make_task(world, deadline=dt.date(2026, 5, 10))
    _report(task, world.street_a, dt.date(2026, 5, 1))
    assert _state(task) == TaskState.OVERDUE


def test_a_monthly_task_missing_last_months_report_is_overdue(world):
    task = make_task(world, cadence=Cadence.MONTHLY, deadline=None, starts_on=dt.date(2026, 3, 1))
    _report(task, world.street_a, dt.date(2026, 3, 1))
    assert _state(task) == TaskState.OVERDUE
    _report(task, world.street_a, dt.date(2026, 4, 1))
    assert _state(task) == TaskState.IN_PROGRESS


def test_a_monthly_task_begun_this_month_is_not_yet_overdue(world):
    task = make_task(world, cadence=Cadence.MONTHLY, deadline=None, starts_on=dt.date(2026, 5, 3))
    assert _state(task) == TaskState.NOT_STARTED


def test_a_quarterly_task_is_overdue_only_when_the_previous_quarter_had_no_report(world):
    task = make_task(world, cadence=Cadence.QUARTERLY, deadline=None, starts_on=dt.date(2026, 1, 1))
    assert _state(task) == TaskState.OVERDUE
    _report(task, world.street_a, dt.date(2026, 2, 1))
    assert _state(task) == TaskState.IN_PROGRESS


def test_done_comes_only_from_the_offices_confirmation(world):
    task = make_task(world, deadline=dt.date(2026, 5, 10))
    with pytest.raises(DomainError):
        services.confirm_done(task, world.office)  # nothing reported yet
    _report(task, world.street_a, dt.date(2026, 5, 1))
    services.confirm_done(task, world.office)
    assert _state(task) == TaskState.DONE  # even past its deadline
    with pytest.raises(ConflictError):
        services.confirm_done(task, world.office)
    services.reopen(task, world.office, reason="照片不合格")
    assert _state(task) == TaskState.OVERDUE


def test_next_due_follows_the_cadence(world):
    assert make_task(world, cadence=Cadence.MONTHLY, deadline=None).next_due(TODAY) == dt.date(2026, 5, 31)
    assert make_task(world, cadence=Cadence.QUARTERLY, deadline=None).next_due(TODAY) == dt.date(2026, 6, 30)
    named = make_task(
        world,
        cadence=Cadence.NAMED_DATES,
        deadline=dt.date(2026, 9, 30),
        schedule={"dates": ["2026-03-15", "2026-09-30"]},
    )
    assert named.next_due(TODAY) == dt.date(2026, 9, 30)
    assert named.next_due(dt.date(2026, 3, 1)) == dt.date(2026, 3, 15)


def test_the_due_annotation_matches_next_due_for_deadline_and_period_tasks(world):
    tasks = [
        make_task(world, deadline=dt.date(2026, 7, 1)),
        make_task(world, cadence=Cadence.MONTHLY, deadline=None),
        make_task(world, cadence=Cadence.QUARTERLY, deadline=None),
        make_task(world, cadence=Cadence.YEARLY, deadline=None),
    ]
    annotated = {t.pk: t.due for t in Task.objects.with_state(TODAY)}
    assert all(annotated[t.pk] == t.next_due(TODAY) for t in tasks)


def test_a_report_is_late_when_submitted_after_its_months_end(world):
    task = make_task(world)
    on_time = _report(
        task,
        world.street_a,
        dt.date(2026, 4, 1),
        submitted_at=timezone.make_aware(dt.datetime(2026, 4, 30, 20)),
    )
    late = _report(
        task,
        world.community_a,
        dt.date(2026, 4, 1),
        submitted_at=timezone.make_aware(dt.datetime(2026, 5, 2, 9)),
    )
    assert not on_time.is_late
    assert late.is_late


def test_submitting_twice_for_a_month_amends_the_report_and_keeps_its_first_time(world):
    task = make_task(world)
    month = timezone.localdate().replace(day=1)
    first = services.submit_report(task, world.street_a, month, "第一次", world.liaison_a)
    second = services.submit_report(task, world.street_a, month, "补充", world.liaison_a)
    assert first.pk == second.pk and second.text == "补充" and second.submitted_at == first.submitted_at
    assert ProgressReport.objects.count() == 1


def test_a_unit_not_assigned_to_the_task_cannot_report_on_it(world):
    task = make_task(world)
    with pytest.raises(DomainError):
        services.submit_report(task, world.street_b, timezone.localdate(), "进展", world.liaison_b)


def test_progress_cannot_be_reported_for_a_future_month_or_on_a_done_task(world):
    task = make_task(world)
    with pytest.raises(DomainError):
        services.submit_report(
            task, world.street_a, timezone.localdate() + dt.timedelta(days=40), "x", world.liaison_a
        )
    services.submit_report(task, world.street_a, timezone.localdate(), "完成", world.liaison_a)
    services.confirm_done(task, world.office)
    with pytest.raises(DomainError):
        services.submit_report(task, world.street_a, timezone.localdate(), "再报", world.liaison_a)
