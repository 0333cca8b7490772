"""Names of the background jobs for people (the job code names mean nothing to an office)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

LABELS = {
    "check_submission": gettext_noop("Evidence checks of a material submission"),
    "make_display_copies": gettext_noop("Display copies of photos"),
    "file_problems": gettext_noop("Filing problems from an inspection"),
    "generate_bulletin": gettext_noop("Generating a bulletin"),
    "recompute_campaign": gettext_noop("Recomputing scores"),
    "recompute_current_campaigns": gettext_noop("Nightly score recomputation"),
    "refresh_campaign": gettext_noop("Refreshing the dashboard"),
    "refresh_current": gettext_noop("Refreshing the dashboard"),
    "follow_scoring": gettext_noop("Refreshing the dashboard"),
    "escalate_problems": gettext_noop("Escalating overdue problems"),
    "forget_public_attempts": gettext_noop("Forgetting old public-page attempts"),
    "daily_task_reminders": gettext_noop("Task reminders"),
}


def label_for(name: str) -> str:
    """ "chuangwen.materials.jobs.check_submission" → its label (by the function's name)."""
    short = name.rsplit(".", 1)[-1]
    return _(LABELS[short]) if short in LABELS else name
