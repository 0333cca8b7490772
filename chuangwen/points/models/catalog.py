"""Point types and their checklist templates (测评标准条目).

Types and checklists are the district's templates, seeded from the reference files and edited
or imported by the campaign office. They belong to no unit, so every signed-in user may read
them (they are published standards, not anybody's data); only the office changes them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointType(models.Model):
    """A kind of field point (主次干道, 农贸市场, 小区…) with the checklist used there."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    group = models.CharField(_("group"), max_length=30, blank=True)
    typical_checks = models.TextField(_("typical checks"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("point type")
        verbose_name_plural = _("point types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CheckMode(models.TextChoices):
    PRESENCE = "observe_presence", _("Presence (it must be there)")
    ABSENCE = "observe_absence", _("Absence (it must not be seen)")
    COUNT_PER_DISTANCE = "count_per_distance", _("Count along a walked distance")
    COUNT_MIN = "count_min", _("Minimum count")
    RATE_THRESHOLD = "rate_threshold", _("Rate threshold")
    PHONE = "phone_verification", _("Phone verification")
    DOCUMENT = "document_check", _("Document check")


class ScoringMode(models.TextChoices):
    PASS_FAIL = "pass_fail", _("Pass / fail")
    OCCURRENCES = "occurrences_abc", _("Occurrences → grade A/B/C/C#")
    DEDUCTION = "deduction", _("Deduction per occurrence")


class ChecklistItem(models.Model):
    """One standard checked at points of a type, with how it is counted and scored.

    `params` holds the local counting rules, e.g. {"walk_m": 200, "min_count": 1},
    {"lamp_rate_min": 0.95}, {"unit_area_m2": 1}, {"max_count": 3}, {"radius_m": 200}; and may
    override scoring: {"grade_thresholds": [0, 1, 2]}, {"grade_rates": {"B": 0.7}},
    {"deduct": 0.5}.
    """

    point_type = models.ForeignKey(
        PointType, verbose_name=_("point type"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("standard"))
    indicator_code = models.CharField(
        _("indicator"), max_length=40, blank=True, help_text=_("The Ⅲ item it belongs to, e.g. Ⅲ-57.")
    )
    # Resolved from indicator_code against the current campaign's evaluation system
    # (points.services.link_indicators); the code stays the source of truth across systems.
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator (linked)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
    )
    check_mode = models.CharField(
        _("check mode"), max_length=24, choices=CheckMode.choices, default=CheckMode.ABSENCE
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    scoring = models.CharField(
        _("scoring"), max_length=20, choices=ScoringMode.choices, default=ScoringMode.PASS_FAIL
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal("1"))
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal("1"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["point_type", "number"]
        constraints = [
            models.UniqueConstraint(fields=["point_type", "number"], name="checklist_item_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"

    @property
    def params_label(self) -> str:
        """The parameters in words (每200米, 比率不低于99%), never as JSON keys."""
        parts: list[str] = []
        for key, value in (self.params or {}).items():
            if key == "walk_m":
                parts.append(_("per %(metres)s m walked") % {"metres": value})
            elif key.endswith("rate_min"):
                try:
                    parts.append(_("rate at least %(rate)s%%") % {"rate": f"{float(value) * 100:g}"})
                except (TypeError, ValueError):
                    parts.append(f"{key}={value}")
            elif key == "min_count":
                parts.append(_("at least %(count)s") % {"count": value})
            elif key == "max_count":
                parts.append(_("up to %(count)s occurrences pass") % {"count": value})
            elif key == "deduct":
                parts.append(_("%(points)s points off per occurrence") % {"points": value})
            else:
                parts.append(f"{key}={value}")
        return "；".join(str(part) for part in parts)

    @property
    def needs_value(self) -> bool:
        """Items judged from a number the inspector enters (a count or a rate)."""
        return self.check_mode in (
            CheckMode.COUNT_PER_DISTANCE,
            CheckMode.COUNT_MIN,
            CheckMode.RATE_THRESHOLD,
        )

    @property
    def counts_occurrences(self) -> bool:
        return self.scoring in (ScoringMode.OCCURRENCES, ScoringMode.DEDUCTION) or "max_count" in self.params
