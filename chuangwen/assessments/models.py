"""The monthly unit assessment (谁失分、谁负责): deduction rules, monthly results, cards and summons.

A month's results are computed from the records other apps keep (problems, review actions,
cards) and stored with one line per rule, so a unit can see exactly which problem or which
sent-back material cost it how much. A published month is frozen: its rows never change again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import UnitKind


class RuleKind(models.TextChoices):
    """What a rule counts. Each kind has its own query in assessments.compute."""

    OVERDUE = "overdue", _("Overdue problem")
    REWORK = "rework", _("Rectification failed verification (rework)")
    FINAL_SEND_BACK = "final_send_back", _("Material sent back at final review")
    YELLOW_CARD = "yellow_card", _("Yellow card")
    RED_CARD = "red_card", _("Red card")


# The office's usual numbers; every campaign may change them (DOMAIN.md: numbers are defaults).
DEFAULT_POINTS = {
    RuleKind.OVERDUE: Decimal("0.2"),
    RuleKind.REWORK: Decimal("0.2"),
    RuleKind.FINAL_SEND_BACK: Decimal("0.5"),
    RuleKind.YELLOW_CARD: Decimal("1"),
    RuleKind.RED_CARD: Decimal("2"),
}
DEFAULT_BASE_SCORE = Decimal("100")


def default_unit_kinds() -> list[str]:
    return [
        UnitKind.STREET,
        UnitKind.TOWNSHIP,
        UnitKind.COMMUNITY,
        UnitKind.VILLAGE,
        UnitKind.DEPARTMENT,
    ]


class AssessmentConfig(models.Model):
    """The base score of a campaign's monthly assessment (the rules hang off the campaign)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="assessment_config")
    base_score = models.DecimalField(
        _("base score"), max_digits=6, decimal_places=2, default=DEFAULT_BASE_SCORE
    )
    # Which kinds of unit get a row every month (a unit of another kind appears only when it
    # lost points): streets, townships, communities, villages and departments by default.
    unit_kinds = models.JSONField(_("kinds of unit assessed"), default=default_unit_kinds, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")

    def __str__(self) -> str:
        return str(self.campaign)


class DeductionRule(models.Model):
    """Points deducted per counted record of one kind, with an optional cap per unit and month."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deduction_rules")
    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    points = models.DecimalField(_("points each"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(
        _("cap per month"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("At most this many points per unit and month under this rule (blank: no cap)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("deduction rule")
        verbose_name_plural = _("deduction rules")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="deduction_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} −{self.points}"


class MonthStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AssessmentMonth(models.Model):
    """One month of one campaign: a draft the office recomputes at will, then published (frozen)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessment_months")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=MonthStatus.choices, default=MonthStatus.DRAFT
    )
    base_score = models.DecimalField(
        _("base score"), max_digits=6, decimal_places=2, default=DEFAULT_BASE_SCORE
    )
    # The rules as they were applied, so a published month explains itself after the rules change.
    rules_used = models.JSONField(default=list, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("assessment month")
        verbose_name_plural = _("assessment months")
        ordering = ["-month", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "month"], name="assessment_month_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_published(self) -> bool:
        return self.status == MonthStatus.PUBLISHED

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of the month as aware datetimes in the project's time zone."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.month, dt.time.min, tzinfo=tz)
        nxt = (self.month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return start, dt.datetime.combine(nxt, dt.time.min, tzinfo=tz)


class UnitAssessment(models.Model):
    """One unit's result in one month: base score minus its deduction lines, and its rank."""

    month = models.ForeignKey(AssessmentMonth, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    base_score = models.DecimalField(_("base score"), max_digits=6, decimal_places=2)
    deducted = models.DecimalField(_("points deducted"), max_digits=7, decimal_places=2, default=0)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"), default=0)

    scope_field = "unit"

    class Meta:
        verbose_name = _("unit assessment")
        verbose_name_plural = _("unit assessments")
        ordering = ["month", "rank", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["month", "unit"], name="unit_assessment_unique")]
        indexes = [
            models.Index(fields=["month", "rank"], name="unit_assessment_rank_idx"),
            models.Index(fields=["unit", "month"], name="unit_assessment_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month} {self.score}"


class DeductionLine(models.Model):
    """The points one rule took from one unit in one month, with the records it counted."""

    assessment = models.ForeignKey(UnitAssessment, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    count = models.PositiveIntegerField(_("count"))
    points_each = models.DecimalField(_("points each"), max_digits=6, decimal_places=2)
    points = models.DecimalField(_("points deducted"), max_digits=7, decimal_places=2)
    capped = models.BooleanField(_("capped"), default=False)
    # {"problems": [ids], "reviews": [ids], "unit_cards": [ids], "cards": [ids]}: the records
    # counted, so the unit's page links to each one.
    records = models.JSONField(default=dict, blank=True)

    scope_field = "assessment__unit"

    class Meta:
        verbose_name = _("deduction line")
        verbose_name_plural = _("deduction lines")
        ordering = ["assessment", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ×{self.count} −{self.points}"


class CardColor(models.TextChoices):
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class Card(models.Model):
    """A yellow or red card the office records by hand (for a reason the escalation job does not
    see: a 负面清单 event, a leader's decision…). problems.UnitCard keeps the automatic overdue
    cards; it has no issuer and only the escalation job's reasons, so manual cards live here and
    the monthly assessment counts both."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="cards")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    color = models.CharField(_("card"), max_length=10, choices=CardColor.choices)
    reason = models.CharField(_("reason"), max_length=300)
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_field = "unit"

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["campaign", "issued_at"], name="assessment_card_month_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_color_display()}"


class Summons(models.Model):
    """A 约谈: the office (or a leader) summons a unit's responsible people over lost points."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="summonses")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    summoned = models.CharField(_("who was summoned"), max_length=300)
    summoned_by = models.CharField(_("summoned by"), max_length=200)
    reason = models.TextField(_("reason"))
    outcome = models.TextField(_("minutes / outcome"), blank=True)
    problems = models.ManyToManyField(
        "problems.Problem", verbose_name=_("problems"), blank=True, related_name="+"
    )
    cards = models.ManyToManyField(Card, verbose_name=_("cards"), blank=True, related_name="summonses")
    unit_cards = models.ManyToManyField(
        "problems.UnitCard", verbose_name=_("automatic cards"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    scope_field = "unit"

    class Meta:
        verbose_name = _("summons")
        verbose_name_plural = _("summonses")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="summons_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.held_on}"
