"""Background job of the reports (huey): every five minutes, generate what the schedule asks
for (idempotent, so a run that finds them made does nothing)."""

from __future__ import annotations

import logging

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))
def generate_due() -> int:
    from chuangwen.briefings.models import Briefing
    from chuangwen.briefings.services import run_schedules

    if Briefing._meta.db_table not in connection.introspection.table_names():
        log.warning("briefings tables are missing; run `chuangwen migrate` (job skipped)")
        return 0
    return run_schedules()
