"""The ledger of background jobs: what is running, what failed and what was set aside."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    RUNNING = "running", _("Running")
    RETRYING = "retrying", _("Waiting to retry")
    INTERRUPTED = "interrupted", _("Interrupted by a stop")
    FAILED = "failed", _("Failed")
    SET_ASIDE = "set_aside", _("Set aside: it crashed the worker")
    DISMISSED = "dismissed", _("Dismissed")


# States the office is shown and asked to act on.
NEEDS_ATTENTION = (JobState.FAILED, JobState.SET_ASIDE)


class JobRun(models.Model):
    """One background job as the worker ran it: written when it starts, removed when it
    succeeds, kept with the error when it fails. A row still "running" whose worker process is
    gone means the job took the process down with it (see ledger.recover)."""

    task_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("job"), max_length=200)
    # {"args": [...], "kwargs": {...}} when they are plain JSON: what a replay needs.
    payload = models.JSONField(null=True, blank=True)
    args_repr = models.CharField(max_length=300, blank=True)
    periodic = models.BooleanField(default=False)
    state = models.CharField(_("state"), max_length=12, choices=JobState.choices, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    crashes = models.PositiveSmallIntegerField(_("crashes"), default=0)
    error = models.TextField(_("error"), blank=True)
    host = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    # Jobs belong to no unit: only campaign-wide roles (the office) see them.
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.args_repr})" if self.args_repr else str(self.label)

    @property
    def message(self) -> str:
        """What the office reads: why the job is here, in the reader's language."""
        from chuangwen.jobs.ledger import CRASHED_ONCE, CRASHED_PERIODIC, SET_ASIDE_MESSAGE, UNREPLAYABLE

        if self.state == JobState.SET_ASIDE:
            return gettext(SET_ASIDE_MESSAGE) % {"crashes": self.crashes}
        if self.error in (CRASHED_ONCE, CRASHED_PERIODIC, UNREPLAYABLE):
            return gettext(self.error)
        return self.error

    @property
    def label(self) -> str:
        """What the job does, in words, when it is one we know; else its code name."""
        from chuangwen.jobs.labels import label_for

        return label_for(self.name)
