"""Background jobs of the tasks app (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chuangwen.tasks.reminders import send_reminders


@db_periodic_task(crontab(hour="8", minute="0"))
def daily_task_reminders() -> int:
    """Every morning at 08:00: remind owners of tasks due in three days and of overdue ones."""
    return send_reminders()
