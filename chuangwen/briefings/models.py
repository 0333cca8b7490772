"""The campaign's daily report (督查日报) and weekly report (周调度).

A `Briefing` is one report of one kind for one day of one campaign (unique: generating twice
returns the first). Its figures are gathered once and frozen in `data`; the .docx and PDF are
laid out from them on download. The `Schedule` says when the worker generates them: the daily
one every day at `time_of_day` (covering yesterday), the weekly one on `weekday` at the same time
(covering the seven days up to yesterday).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefingKind(models.TextChoices):
    DAILY = "daily", _("Daily report (督查日报)")
    WEEKLY = "weekly", _("Weekly report (周调度)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Schedule(models.Model):
    """When the worker generates a campaign's reports (one row per campaign)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="briefing_schedule",
    )
    enabled = models.BooleanField(_("generate automatically"), default=True)
    time_of_day = models.TimeField(_("time of day"), default=dt.time(8, 0))
    weekday = models.PositiveSmallIntegerField(_("weekly report on"), choices=Weekday.choices, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")

    def __str__(self) -> str:
        return f"{self.campaign} {self.time_of_day:%H:%M}"


class Briefing(models.Model):
    """One daily or weekly report; `day` is the (last) day it covers."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="briefings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BriefingKind.choices)
    day = models.DateField(_("date covered"))
    data = models.JSONField(default=dict, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted = models.BooleanField(_("posted to the chat"), default=False)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-day", "kind", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind", "day"], name="briefing_one_per_kind_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"

    @property
    def first_day(self) -> dt.date:
        return self.day - dt.timedelta(days=6) if self.kind == BriefingKind.WEEKLY else self.day
