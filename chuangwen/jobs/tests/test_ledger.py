"""The job ledger: jobs that fail or crash their worker are kept for the office, and a job
that crashed its worker twice is set aside instead of being replayed forever."""

from __future__ import annotations

import subprocess

import pytest
from huey import MemoryHuey

from chuangwen.jobs import ledger
from chuangwen.jobs.models import JobRun, JobState

huey = MemoryHuey("ledger-test", immediate=False, results=False)
ledger.install(huey)
ran: list[int] = []


@huey.task()
def count_photos(submission_id: int) -> int:
    ran.append(submission_id)
    return submission_id


@huey.task(retries=1)
def always_fails(submission_id: int) -> None:
    raise OSError(f"storage unavailable for {submission_id}")


@huey.periodic_task(lambda dt: False)
def nightly() -> None:
    pass


def dead_pid() -> int:
    """The id of a process that has exited (as a crashed worker's has)."""
    process = subprocess.Popen(["true"])  # noqa: S607
    process.wait()
    return process.pid


def run_next() -> None:
    huey.execute(huey.dequeue())


def start_then_crash(task) -> None:
    """What the worker records when it starts a job, then its process dies mid-job."""
    ledger.on_executing(huey, task)
    JobRun.objects.filter(task_id=task.id).update(pid=dead_pid())


@pytest.fixture(autouse=True)
def _empty_queue():
    huey.flush()
    ran.clear()


@pytest.mark.django_db
def test_a_job_that_succeeds_leaves_nothing_in_the_ledger():
    count_photos(7)
    run_next()
    assert ran == [7]
    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_a_job_that_fails_after_its_retries_is_kept_with_its_error():
    always_fails(3)
    run_next()
    assert JobRun.objects.get().state == JobState.RETRYING
    run_next()  # the retry
    run = JobRun.objects.get()
    assert (run.state, run.attempts) == (JobState.FAILED, 2)
    assert run.message == "OSError: storage unavailable for 3"
    assert run.args_repr == "3" and run.name.endswith("always_fails")


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_run_once_more_then_set_aside_after_the_second_crash():
    task = count_photos.s(11)
    start_then_crash(task)

    assert ledger.recover(huey) == {"replayed": 1, "set_aside": 0}
    replayed = huey.dequeue()
    assert (replayed.id, replayed.args) == (task.id, (11,))
    assert JobRun.objects.get().crashes == 1

    start_then_crash(replayed)
    assert ledger.recover(huey) == {"replayed": 0, "set_aside": 1}
    assert huey.pending_count() == 0, "a job that crashed its worker twice is not queued again"
    run = JobRun.objects.get()
    assert (run.state, run.crashes) == (JobState.SET_ASIDE, 2)
    assert "stopped the job worker 2 times and was set aside" in run.message
    assert ledger.recover(huey) == {"replayed": 0, "set_aside": 0}, "and never again"


@pytest.mark.django_db
def test_a_replayed_job_that_then_succeeds_leaves_nothing_behind():
    start_then_crash(count_photos.s(5))
    ledger.recover(huey)
    run_next()
    assert ran == [5]
    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_the_running_job_of_a_live_worker_is_left_alone():
    ledger.on_executing(huey, count_photos.s(1))  # this very process: alive
    assert ledger.recover(huey, own_pid=0) == {"replayed": 0, "set_aside": 0}
    assert JobRun.objects.get().state == JobState.RUNNING


@pytest.mark.django_db
def test_a_periodic_job_that_crashed_its_worker_is_reported_not_replayed():
    start_then_crash(nightly.s())
    assert ledger.recover(huey) == {"replayed": 0, "set_aside": 0}
    run = JobRun.objects.get()
    assert run.state == JobState.FAILED
    assert run.message == (
        "The job worker stopped while running this job; it runs again at its next scheduled time."
    )


# transaction=True: the recovery closes the connection between tries, which on PostgreSQL would
# throw away a test transaction holding the job it must find.
@pytest.mark.django_db(transaction=True)
def test_the_start_up_recovery_waits_for_a_database_that_is_restarting(monkeypatch):
    # A worker started while PostgreSQL restarts: the recovery tries again instead of giving
    # up, so the job its predecessor died in is still run once more (chuangwen bench faults).
    from django.db import OperationalError

    start_then_crash(count_photos.s(11))
    real = ledger.recover
    calls = []

    def restarting(*args, **kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("FATAL:  the database system is shutting down")
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger, "recover", restarting)
    monkeypatch.setattr(ledger, "RECOVER_DELAYS", (0.0, 0.0, 0.0))
    monkeypatch.setattr(ledger, "_recovered", set())
    ledger._recover_once(huey)
    assert len(calls) == 3
    assert huey.pending_count() == 1, "the job the dead worker left is queued again"
    run_next()
    assert ran == [11]


@pytest.mark.django_db
def test_the_start_up_recovery_gives_up_after_its_last_try(monkeypatch, caplog):
    from django.db import OperationalError

    def away(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(ledger, "recover", away)
    monkeypatch.setattr(ledger, "RECOVER_DELAYS", (0.0, 0.0))
    monkeypatch.setattr(ledger, "_recovered", set())
    ledger._recover_once(huey)
    assert "gave up" in caplog.text
