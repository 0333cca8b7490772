"""Background jobs of the core app (huey)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chuangwen.core.storage import StorageUnavailable
from chuangwen.core.sweep import NotMigrated, sweep

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="4", minute="41"))
def sweep_files() -> dict[str, int]:
    """Delete stored files no record references (left by requests that failed half-way)."""
    try:
        return sweep(dt.timedelta(hours=settings.FILE_SWEEP_GRACE_HOURS)).as_dict()
    except StorageUnavailable:
        log.warning("sweep: the file storage is unavailable; trying again tomorrow")
        return {}
    except NotMigrated as exc:
        log.warning("sweep skipped: %s", exc)
        return {}
