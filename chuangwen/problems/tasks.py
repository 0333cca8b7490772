"""Background jobs of the problems app (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chuangwen.problems import escalation


@db_periodic_task(crontab(minute="*/15"))
def escalate_problems() -> dict[str, int]:
    """Reminders, supervision notices and cards for overdue problems (idempotent)."""
    return escalation.run()
