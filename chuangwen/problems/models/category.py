"""Problem categories (two levels, with rectification time limits) and the holiday calendar."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.core import worktime


class CategoryKind(models.TextChoices):
    EVENT = "event", _("Event (事件)")
    COMPONENT = "component", _("Component (部件)")
    IMMEDIATE = "immediate", _("Fix at once (立行立改)")


class TimeUnit(models.TextChoices):
    HOURS = worktime.HOURS, _("hours (continuous)")
    WORKING_HOURS = worktime.WORKING_HOURS, _("working hours")
    WORKING_DAYS = worktime.WORKING_DAYS, _("working days")


class ProblemCategory(models.Model):
    """A major category (parent empty) or a minor one under it, as in 数字城管 case tables.

    Minor categories carry the rectification time limit and may name a default unit; a minor
    category without its own limit or default unit takes its parent's. The `code` is the
    Open311 service_code, so it must stay stable once published.

    Categories are reference data shared by the whole campaign: they have no unit and no
    scope_field; every signed-in user (and the public report page) may read them.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("major category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CategoryKind.choices, default=CategoryKind.EVENT
    )
    name = models.CharField(_("name"), max_length=80)
    code = models.CharField(_("code"), max_length=20, unique=True)
    time_limit = models.PositiveIntegerField(_("time limit"), null=True, blank=True)
    time_unit = models.CharField(
        _("time unit"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    close_condition = models.CharField(_("close condition"), max_length=120, blank=True)
    default_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("default unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "kind", "name"], name="problem_category_unique"),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} · {self.name}"
        return f"{self.get_kind_display()} · {self.name}"

    @property
    def is_major(self) -> bool:
        return self.parent_id is None

    def limit(self) -> tuple[int, str] | None:
        """(amount, time unit) of this category, else of its major category, else None."""
        if self.time_limit:
            return self.time_limit, self.time_unit
        if self.parent_id and self.parent.time_limit:
            return self.parent.time_limit, self.parent.time_unit
        return None

    def limit_display(self) -> str:
        limit = self.limit()
        if limit is None:
            return ""
        return f"{limit[0]} {TimeUnit(limit[1]).label}"

    def effective_default_unit_id(self) -> int | None:
        if self.default_unit_id:
            return self.default_unit_id
        return self.parent.default_unit_id if self.parent_id else None


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (day off)")
    WORKDAY = "workday", _("Adjusted working day (调休上班)")


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a public holiday, or a weekend day worked.

    The official list for each year is published by the State Council in November; the office
    edits it here (the 2025 and 2026 lists ship as seed data).
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()
