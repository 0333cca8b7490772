"""Duty (值守): rosters of shifts at points and intersections, check-ins and duty logs.

An intersection is a point of the intersection type (主要交通路口), so a roster always hangs
on a point. A roster names the unit that staffs it (police, a bureau, a community — often not
the point's own unit) and the people on it; shifts are generated from its dates, weekdays
and time windows, and each shift can be re-staffed on its own.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.points.models.point import PhotoFields


class DutyRoster(models.Model):
    """Who stands duty at a point, on which days and in which time windows."""

    point = models.ForeignKey(
        "points.Point", verbose_name=_("point"), on_delete=models.PROTECT, related_name="rosters"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("staffing unit"), on_delete=models.PROTECT, related_name="duty_rosters"
    )
    name = models.CharField(_("name"), max_length=120)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    weekdays = models.CharField(
        _("weekdays"), max_length=7, default="1234567", help_text=_("ISO weekdays, 1 = Monday … 7 = Sunday.")
    )
    windows = models.JSONField(_("time windows"), default=list, help_text=_('e.g. [["07:00", "09:00"]]'))
    required_count = models.PositiveSmallIntegerField(_("people required per shift"), default=1)
    people = models.ManyToManyField("org.Person", verbose_name=_("people"), blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = ("point__unit", "unit")

    class Meta:
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        ordering = ["-start_date", "point__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="duty_roster_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def time_windows(self) -> list[tuple[dt.time, dt.time]]:
        return [(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in self.windows]


class DutyShift(models.Model):
    """One time window on one day at a point, with the people rostered for it."""

    roster = models.ForeignKey(DutyRoster, on_delete=models.CASCADE, related_name="shifts")
    point = models.ForeignKey("points.Point", on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    required_count = models.PositiveSmallIntegerField(_("people required"), default=1)
    people = models.ManyToManyField(
        "org.Person", verbose_name=_("people"), blank=True, related_name="duty_shifts"
    )

    scope_field = ("point__unit", "roster__unit")

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "date", "start_time"], name="duty_shift_unique"),
        ]
        indexes = [models.Index(fields=["point", "date"], name="duty_shift_point_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    def ends_at(self) -> dt.datetime:
        end = dt.datetime.combine(self.date, self.end_time)
        if self.end_time <= self.start_time:  # a night shift ends the next day
            end += dt.timedelta(days=1)
        return timezone.make_aware(end)


class CheckIn(models.Model):
    """A person's sign-in (and later sign-out) for a shift, with where the phone was."""

    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="checkins")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="checkins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    in_lat = models.FloatField()
    in_lng = models.FloatField()
    in_distance_m = models.FloatField(_("distance at check-in (m)"), null=True, blank=True)
    in_outside = models.BooleanField(_("checked in outside the radius"), default=False)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    out_lat = models.FloatField(null=True, blank=True)
    out_lng = models.FloatField(null=True, blank=True)
    out_distance_m = models.FloatField(_("distance at check-out (m)"), null=True, blank=True)
    out_outside = models.BooleanField(_("checked out outside the radius"), default=False)

    scope_field = ("shift__point__unit", "shift__roster__unit")

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="checkin_once_per_shift"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.shift}"

    @property
    def flagged(self) -> bool:
        return self.in_outside or self.out_outside


class DutyCategory(models.TextChoices):
    TRAFFIC = "traffic", _("Persuading uncivil traffic behaviour")
    SMALL_ADS = "small_ads", _("Removing illegal small ads")
    SMOKING = "smoking", _("Persuading smokers")
    LITTERING = "littering", _("Stopping littering")
    DOGS = "dogs", _("Civilized dog-keeping persuasion")
    OTHER = "other", _("Other")


class DutyLog(models.Model):
    """What someone on duty did: a category, how many times, a note and photos."""

    point = models.ForeignKey(
        "points.Point", verbose_name=_("point"), on_delete=models.PROTECT, related_name="duty_logs"
    )
    shift = models.ForeignKey(
        DutyShift, null=True, blank=True, on_delete=models.SET_NULL, related_name="logs"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=DutyCategory.choices)
    count = models.PositiveIntegerField(_("count"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    client_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = ("point__unit", "unit")

    class Meta:
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_key"], condition=~Q(client_key=""), name="duty_log_client_key_unique"
            ),
        ]
        indexes = [models.Index(fields=["point", "date"], name="duty_log_point_date")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} × {self.count}"


class DutyLogPhoto(PhotoFields):
    log = models.ForeignKey(DutyLog, on_delete=models.CASCADE, related_name="photos")

    scope_field = ("log__point__unit", "log__unit")

    class Meta:
        verbose_name = _("duty photo")
        verbose_name_plural = _("duty photos")
        ordering = ["id"]
