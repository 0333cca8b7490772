"""The dashboard snapshot: every widget's figures, computed in the background and read whole."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import Unit


class Snapshot(models.Model):
    """The precomputed figures of one slice of a campaign: the whole campaign (`unit` empty) or
    one street / township (`unit` set). A page view reads one row instead of aggregating a
    million problems; `chuangwen.dashboard.services.refresh` rewrites every slice at once.

    Scoped by `unit`: the whole-campaign row has none, so only campaign-wide roles (office,
    leaders) reach it; a street's row is reached by the roles held in that street.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="dashboard_snapshots")
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("street / township"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"))
    duration_ms = models.PositiveIntegerField(_("refresh time (ms)"), default=0)
    # When the scoring run included here finished ("" before the first run): the job that
    # watches for new scoring runs compares it with the scoring app's latest.
    scoring_computed_at = models.CharField(max_length=40, blank=True, default="")
    data = models.JSONField(default=dict)

    scope_field = "unit"

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"], condition=Q(unit__isnull=False), name="dashboard_slice_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(unit__isnull=True), name="dashboard_whole_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.unit or '—'} · {self.computed_at:%Y-%m-%d %H:%M}"
