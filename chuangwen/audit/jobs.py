"""Background jobs of the audit log (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chuangwen.audit.checkpoints import publish_if_due


@db_periodic_task(crontab(minute="*/5"))
def publish_audit_checkpoint() -> bool:
    """Every five minutes: publish a signed checkpoint of the chain's head when the newest one is
    older than AUDIT_CHECKPOINT_MINUTES (checking often keeps the interval after a restart)."""
    return publish_if_due() is not None
