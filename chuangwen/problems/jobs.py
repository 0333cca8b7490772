"""Background jobs of the problems app (huey)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chuangwen.problems import escalation
from chuangwen.problems.models import Problem, PublicSubmission

log = logging.getLogger(__name__)

# Public-page attempts are kept only as long as the rate limits look back (a day), plus margin.
PUBLIC_ATTEMPTS_KEPT = dt.timedelta(days=7)


def _migrated() -> bool:
    """A worker may be started before `chuangwen migrate` (a fresh install): then the jobs wait
    instead of failing every quarter of an hour."""
    if Problem._meta.db_table in connection.introspection.table_names():
        return True
    log.warning("problems tables are missing; run `chuangwen migrate` (job skipped)")
    return False


@db_periodic_task(crontab(minute="*/15"))
def escalate_problems() -> dict[str, int]:
    """Reminders, supervision notices and cards for overdue problems (idempotent)."""
    return escalation.run() if _migrated() else {}


@db_periodic_task(crontab(hour="3", minute="17"))
def forget_public_attempts() -> int:
    """Drop old public-page attempts (IP addresses are personal data; keep no more than needed)."""
    if not _migrated():
        return 0
    deleted, _ = PublicSubmission.objects.filter(
        created_at__lt=timezone.now() - PUBLIC_ATTEMPTS_KEPT
    ).delete()
    return deleted
