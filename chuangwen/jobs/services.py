"""State changes of job ledger rows made by people (the worker's own go through ledger.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError
from chuangwen.jobs.models import NEEDS_ATTENTION, JobRun, JobState


def dismiss(run: JobRun, actor: Any, request: Any = None) -> JobRun:
    """The office has seen a failed or set-aside job and dealt with it: it leaves the list."""
    with transaction.atomic():
        run = JobRun.objects.select_for_update().get(pk=run.pk)
        if run.state not in NEEDS_ATTENTION:
            raise ConflictError(_("This job is no longer waiting for attention."))
        before = run.state
        run.state = JobState.DISMISSED
        run.dismissed_by = user_or_none(actor)
        run.dismissed_at = timezone.now()
        run.save(update_fields=["state", "dismissed_by", "dismissed_at"])
        log_action(actor, "jobs.run.dismiss", run, {"state": [before, run.state]}, request=request)
    return run
