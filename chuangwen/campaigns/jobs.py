"""Background jobs of the campaigns app (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chuangwen.campaigns.reminders import send_deliverable_reminders


@db_periodic_task(crontab(hour="8", minute="5"))
def daily_deliverable_reminders() -> int:
    """Every morning: remind the responsible units of phase deliverables due soon or overdue."""
    return send_deliverable_reminders()
