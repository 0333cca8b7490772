"""The per-unit ledger of consequences and the year-end performance account (绩效考核).

The ledger is read from the records other apps keep (lost points, monthly deductions, cards,
督办通知书, overdue problems and tasks, summons, meeting absences and overdue meeting
decisions) plus the credits the office records here (特色加分 credited to the unit that earned
it, 通报表扬). `YearEndRules` weighs and caps each kind; `ledger.compute` adds it up per unit,
line by line.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    LOST_POINTS = "lost_points", _("Points lost in the score (谁失分谁负责)")
    ASSESSMENT = "assessment", _("Monthly assessment deductions (三令制)")
    YELLOW_CARD = "yellow_card", _("Yellow cards")
    RED_CARD = "red_card", _("Red cards")
    NOTICE = "notice", _("Supervision notices (督办通知书)")
    OVERDUE_PROBLEM = "overdue_problem", _("Problems rectified late or still overdue")
    OVERDUE_TASK = "overdue_task", _("Overdue tasks")
    SUMMONS = "summons", _("Summons (约谈)")
    MEETING_ABSENCE = "meeting_absence", _("Meetings missed")
    OVERDUE_DECISION = "overdue_decision", _("Meeting decisions overdue")
    SHARED = "shared", _("Shares of problems that lost points (四个责任)")
    BONUS = "bonus", _("Bonus for distinctive work (特色加分)")
    PRAISE = "praise", _("Commendations (通报表扬)")


CREDIT_KINDS = (EntryKind.BONUS, EntryKind.PRAISE)

# Points of the year-end account per unit of each kind (a count, or points lost/deducted/
# credited) and the cap of each kind; every campaign sets its own (DOMAIN.md: numbers are
# defaults). The monthly assessment already counts overdue problems and cards, so its
# deductions weigh 0 by default: an office that prefers the monthly results gives them a
# weight and sets the overlapping kinds to 0.
DEFAULT_RULES: dict[str, dict[str, float | None]] = {
    EntryKind.LOST_POINTS: {"weight": 1.0, "cap": 20.0},
    EntryKind.ASSESSMENT: {"weight": 0.0, "cap": None},
    EntryKind.YELLOW_CARD: {"weight": 1.0, "cap": None},
    EntryKind.RED_CARD: {"weight": 2.0, "cap": None},
    EntryKind.NOTICE: {"weight": 0.5, "cap": 5.0},
    EntryKind.OVERDUE_PROBLEM: {"weight": 0.1, "cap": 10.0},
    EntryKind.OVERDUE_TASK: {"weight": 0.5, "cap": 10.0},
    EntryKind.SUMMONS: {"weight": 2.0, "cap": None},
    EntryKind.MEETING_ABSENCE: {"weight": 0.5, "cap": 5.0},
    EntryKind.OVERDUE_DECISION: {"weight": 0.5, "cap": 5.0},
    EntryKind.SHARED: {"weight": 1.0, "cap": 10.0},
    EntryKind.BONUS: {"weight": 1.0, "cap": 5.0},
    EntryKind.PRAISE: {"weight": 1.0, "cap": 3.0},
}


class YearEndRules(models.Model):
    """A campaign's year-end rules: the base score and each kind's weight and cap."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="year_end_rules"
    )
    base_score = models.DecimalField(_("base score"), max_digits=6, decimal_places=2, default=Decimal("100"))
    rules = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("year-end rules")
        verbose_name_plural = _("year-end rules")

    def __str__(self) -> str:
        return str(self.campaign_id)

    def rule(self, kind: str) -> dict[str, float | None]:
        """The kind's weight and cap (the default where the campaign set none)."""
        return {**DEFAULT_RULES[kind], **(self.rules or {}).get(kind, {})}


class Credit(models.Model):
    """A credit to a unit: 特色加分 (optionally for a scoring BonusAward) or a 通报表扬."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="ledger_credits"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=20, choices=[(k.value, k.label) for k in CREDIT_KINDS], default=EntryKind.BONUS
    )
    title = models.CharField(_("for what"), max_length=200)
    points = models.DecimalField(_("score points"), max_digits=6, decimal_places=2)
    awarded_on = models.DateField(_("date"))
    bonus = models.ForeignKey(
        "scoring.BonusAward",
        verbose_name=_("bonus award"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credits",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["-awarded_on", "-id"]
        indexes = [models.Index(fields=["campaign", "awarded_on"], name="ledger_credit_campaign_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} +{self.points}"


class ResponsibilityRole(models.TextChoices):
    """The four responsibilities pursued together for a problem that lost points (004)."""

    POINT = "point", _("Point responsibility (点位责任)")
    SUPERVISING = "supervising", _("Supervising responsibility (监管责任)")
    COMPETENT = "competent", _("Competent-department responsibility (主管责任)")
    LEAD = "lead", _("Lead responsibility (牵头责任)")


class Responsibility(models.Model):
    """One of the four responsibilities for a problem, named by the office: the unit and its
    share of the consequence (the shares of a problem add up to one)."""

    problem = models.ForeignKey("problems.Problem", on_delete=models.CASCADE, related_name="responsibilities")
    role = models.CharField(_("responsibility"), max_length=12, choices=ResponsibilityRole.choices)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(_("share"), max_digits=4, decimal_places=3)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_at = models.DateTimeField(auto_now=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["problem", "role"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "role"], name="ledger_responsibility_unique")
        ]
        indexes = [models.Index(fields=["unit", "problem"], name="ledger_responsibility_unit_idx")]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.role} {self.unit_id}"
