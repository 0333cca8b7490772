"""Recording background jobs as the worker runs them, and recovering after a crash.

huey takes a job off the queue before running it, so a job whose native code kills the worker
process (a segfault, say) would simply vanish, or, replayed blindly, kill every worker that
picks it up. The ledger writes a row when a job starts and removes it when the job succeeds.
When a worker process starts, rows still "running" under a process of this machine that no
longer exists are jobs that took their process down: each is run once more; one that crashed a
process twice is set aside as failed, with a message the office sees on the jobs page, and
never run again by itself. Jobs that fail with an error (after huey's retries) are kept too.

Only installed where a worker consumes the queue (apps.JobsConfig.ready); the hooks write with
their own short transactions, outside the job's.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from huey import signals

from chuangwen.jobs.models import JobRun, JobState

log = logging.getLogger(__name__)

MAX_CRASHES = 2  # "a job that crashed its process twice is set aside"
HOST = socket.gethostname()[:100]

SET_ASIDE_MESSAGE = gettext_noop(
    "This job stopped the job worker %(crashes)d times and was set aside; it will not run again by "
    "itself. The worker was restarted and other jobs carry on. Tell the platform's administrator."
)
CRASHED_ONCE = gettext_noop("The job worker stopped while running this job; it was run once more.")
UNREPLAYABLE = gettext_noop("The job worker stopped while running this job, which cannot be queued again.")
CRASHED_PERIODIC = gettext_noop(
    "The job worker stopped while running this job; it runs again at its next scheduled time."
)

_recovered: set[int] = set()
_recover_lock = threading.Lock()
# Seconds between tries of the start-up recovery while the database cannot be reached (found by
# `chuangwen bench faults`: a worker restarted during a PostgreSQL restart gave up at once, and
# the job its predecessor died in stayed "running" for ever, neither run again nor failed).
RECOVER_DELAYS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 60.0)


def _payload(task: Any) -> tuple[dict | None, str]:
    args, kwargs = list(task.args or ()), dict(task.kwargs or {})
    text = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])[:300]
    try:
        payload = json.loads(json.dumps({"args": args, "kwargs": kwargs}))
    except (TypeError, ValueError):
        payload = None  # not replayable; the row still tells what ran
    return payload, text


def _is_periodic(task: Any) -> bool:
    return hasattr(task, "validate_datetime")


def task_name(huey: Any, task: Any) -> str:
    return huey._registry.task_to_string(type(task))


def on_executing(huey: Any, task: Any) -> None:
    """A job starts: a "running" row with this process's identity (created or updated)."""
    payload, text = _payload(task)
    now = timezone.now()
    fields = {
        "name": task_name(huey, task),
        "payload": payload,
        "args_repr": text,
        "periodic": _is_periodic(task),
        "state": JobState.RUNNING,
        "host": HOST,
        "pid": os.getpid(),
        "started_at": now,
        "finished_at": None,
    }
    with transaction.atomic():
        run, created = JobRun.objects.select_for_update().get_or_create(task_id=task.id, defaults=fields)
        if not created:
            for key, value in fields.items():
                setattr(run, key, value)
        run.attempts += 1
        run.save()


def on_complete(task: Any) -> None:
    """A job succeeded: nothing to keep."""
    JobRun.objects.filter(task_id=task.id).delete()


def on_error(task: Any, exc: BaseException) -> None:
    """A job raised. huey retries it while it has retries left; after the last, it failed."""
    final = not task.retries
    message = f"{type(exc).__name__}: {exc}"[:2000]
    JobRun.objects.filter(task_id=task.id).update(
        state=JobState.FAILED if final else JobState.RETRYING,
        error=message,
        finished_at=timezone.now(),
    )


def on_interrupted(task: Any) -> None:
    """The worker was asked to stop while the job ran: huey drops it; the next start runs it."""
    JobRun.objects.filter(task_id=task.id).update(state=JobState.INTERRUPTED, finished_at=timezone.now())


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(huey: Any, host: str = HOST, own_pid: int | None = None) -> dict[str, int]:
    """Deal with the jobs a dead worker process of this host left behind (see the module
    docstring). Returns how many were run again and how many set aside."""
    own_pid = os.getpid() if own_pid is None else own_pid
    counts = {"replayed": 0, "set_aside": 0}
    candidates = JobRun.objects.filter(host=host, state__in=(JobState.RUNNING, JobState.INTERRUPTED)).exclude(
        pid=own_pid
    )
    for run_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            run = JobRun.objects.select_for_update().filter(pk=run_id).first()
            if run is None or run.state not in (JobState.RUNNING, JobState.INTERRUPTED) or _alive(run.pid):
                continue
            if run.state == JobState.RUNNING:
                run.crashes += 1
            if run.crashes >= MAX_CRASHES:
                run.state = JobState.SET_ASIDE
                run.error = SET_ASIDE_MESSAGE % {"crashes": run.crashes}
                run.finished_at = timezone.now()
                run.save(update_fields=["crashes", "state", "error", "finished_at"])
                log.error(
                    "job %s (%s) crashed the worker %d times; set aside", run.task_id, run.name, run.crashes
                )
                counts["set_aside"] += 1
                continue
            if run.periodic and not run.crashes:
                run.delete()  # stopped on request; it runs again on its schedule anyway
                continue
            if run.periodic or run.payload is None:
                # A periodic job runs again on its schedule; one without plain arguments cannot.
                run.state = JobState.FAILED
                run.error = CRASHED_PERIODIC if run.periodic else UNREPLAYABLE
                run.finished_at = timezone.now()
                run.save(update_fields=["crashes", "state", "error", "finished_at"])
                continue
            run.state = JobState.RETRYING
            run.error = CRASHED_ONCE if run.crashes else ""
            run.save(update_fields=["crashes", "state", "error"])
            task_id, name, payload = run.task_id, run.name, run.payload
        if _replay(huey, task_id, name, payload):
            counts["replayed"] += 1
    return counts


def _replay(huey: Any, task_id: str, name: str, payload: dict) -> bool:
    try:
        task_class = huey._registry.string_to_task(name)
    except Exception:  # noqa: BLE001 - a job renamed or removed since it was queued
        JobRun.objects.filter(task_id=task_id).update(state=JobState.FAILED, finished_at=timezone.now())
        return False
    # The same id, so the ledger row (and its crash count) follows the job.
    huey.enqueue(
        task_class(args=tuple(payload.get("args", ())), kwargs=payload.get("kwargs", {}), id=task_id)
    )
    return True


def _recover_once(huey: Any) -> None:
    """The startup hook runs in every worker thread; the recovery must run once per process."""
    with _recover_lock:
        if os.getpid() in _recovered:
            return
        _recovered.add(os.getpid())
    counts = _recover_with_retries(huey, RECOVER_DELAYS)
    if counts and any(counts.values()):
        log.warning("jobs left by a stopped worker: %(replayed)d run again, %(set_aside)d set aside", counts)


def _recover_with_retries(huey: Any, delays: tuple[float, ...]) -> dict[str, int] | None:
    """`recover`, tried again with growing pauses while the database is away (restarting,
    failing over); None when it never answered or the recovery failed."""
    for delay in (*delays, None):
        try:
            return recover(huey)
        except IntegrityError:
            log.exception("job recovery failed")
            return None
        except (OperationalError, InterfaceError) as exc:
            if delay is None:
                log.error("job recovery gave up: the database did not answer (%s)", exc)
                return None
            log.warning("job recovery: the database does not answer (%s); trying again in %.0f s", exc, delay)
            connection.close()  # the next try opens a fresh connection
            time.sleep(delay)
    return None


def install(huey: Any) -> None:
    """Connect the ledger to `huey`'s signals and startup."""
    huey.signal(signals.SIGNAL_EXECUTING)(lambda signal, task, *a: on_executing(huey, task))
    huey.signal(signals.SIGNAL_COMPLETE)(lambda signal, task, *a: on_complete(task))
    huey.signal(signals.SIGNAL_ERROR)(lambda signal, task, exc=None, *a: on_error(task, exc))
    huey.signal(signals.SIGNAL_INTERRUPTED)(lambda signal, task, *a: on_interrupted(task))
    huey.on_startup("chuangwen_jobs_recover")(lambda: _recover_once(huey))
