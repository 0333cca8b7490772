"""Scores (测评得分): the versioned scoring configuration, the office's own inputs (部门评价,
negative-list events, bonus awards) and the precomputed results of each score run.

Pages and the dashboard read ScoreRun and its rows; nothing is computed on a page view.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign
from chuangwen.indicators.models import Grade, Indicator, Method, NegativeItem
from chuangwen.org.models import Unit

# Shares of each method in the city score (materials 40 / field 40 / questionnaire 20 when the
# online methods and the telephone check are added up); every campaign edits them.
DEFAULT_WEIGHTS: dict[str, float] = {
    Method.MATERIALS: 25,
    Method.DEPARTMENT: 10,
    Method.PHOTOS: 5,
    Method.FIELD: 40,
    Method.SURVEY: 15,
    Method.PHONE: 5,
}
# A coverage rate or a field score rate at or above the cut earns that grade (else C#).
DEFAULT_GRADE_CUTS: dict[str, float] = {"A": 0.9, "B": 0.75, "C": 0.5}


def _default_weights() -> dict[str, Any]:
    return {"default": dict(DEFAULT_WEIGHTS)}


def _default_cuts() -> dict[str, float]:
    return dict(DEFAULT_GRADE_CUTS)


class ScoringConfig(models.Model):
    """One version of a campaign's scoring rules. Editing writes a new version; old ones stay,
    and every score run points at the version it used."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scoring_configs")
    version = models.PositiveIntegerField(_("version"))
    # {"default": {method: weight}, "2025": {method: weight}}: a year of the cycle may differ.
    weights = models.JSONField(_("method weights"), default=_default_weights)
    minors_share = models.DecimalField(
        _("minors' system share (%)"), max_digits=5, decimal_places=2, default=Decimal("20")
    )
    minors_gate = models.DecimalField(
        _("minors' system pass mark"), max_digits=5, decimal_places=2, default=Decimal("85")
    )
    villages_share = models.DecimalField(
        _("civilized villages share (%)"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    grade_cuts = models.JSONField(_("rate needed for each grade"), default=_default_cuts)
    # {method: mark out of 100}: a method's result below its mark is 不合格 whatever the others add
    # up to (seed 002: "问卷调查占20%, 低于80分的直接不合格"). Empty: no method has a pass mark.
    pass_marks = models.JSONField(_("pass marks by method"), default=dict, blank=True)
    # [{"code": "honour", "name": "荣誉称号", "points": 1, "cap": 3}]
    bonus_rules = models.JSONField(_("bonus rules"), default=list, blank=True)
    bonus_cap = models.DecimalField(_("bonus cap"), max_digits=6, decimal_places=2, default=Decimal("5"))
    # {point type code: points drawn}; empty: a tenth of each type's inspected points, at least one.
    field_quotas = models.JSONField(_("field draw quotas"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("scoring configuration")
        verbose_name_plural = _("scoring configurations")
        ordering = ["campaign", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="scoring_config_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} v{self.version}"

    def weights_for(self, year: int | None) -> dict[str, float]:
        """Weights of the campaign's year of the cycle, else the default ones."""
        table = self.weights or {}
        chosen = table.get(str(year)) if year is not None else None
        chosen = chosen or table.get("default") or DEFAULT_WEIGHTS
        return {m: float(chosen.get(m, 0) or 0) for m in Method.values}

    def bonus_rule(self, code: str) -> dict[str, Any] | None:
        return next((r for r in self.bonus_rules or [] if r.get("code") == code), None)


class DepartmentEvaluation(models.Model):
    """部门评价: a value the office enters for an indicator (e.g. 合格率 98.6) with its evidence,
    graded by the indicator's grade bands; `grade` is entered directly when it has none."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="department_evaluations")
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="department_evaluations",
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to="scoring/evidence/%Y/%m", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("department evaluation")
        verbose_name_plural = _("department evaluations")
        ordering = ["indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "indicator"], name="scoring_dept_eval_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} = {self.value}"


class NegativeEvent(models.Model):
    """The office records that a negative-list item occurred (负面清单), with evidence."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="negative_events")
    item = models.ForeignKey(
        NegativeItem, verbose_name=_("negative-list item"), on_delete=models.PROTECT, related_name="events"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_on = models.DateField(_("occurred on"))
    note = models.TextField(_("what happened"))
    evidence = models.FileField(_("evidence file"), upload_to="scoring/negative/%Y/%m", blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("negative-list event")
        verbose_name_plural = _("negative-list events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.item} {self.occurred_on}"


class BonusAward(models.Model):
    """Innovation work earning bonus points (创新特色加分) under one of the config's rules."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="bonus_awards")
    rule_code = models.CharField(_("bonus rule"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("bonus award")
        verbose_name_plural = _("bonus awards")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Trigger(models.TextChoices):
    MANUAL = "manual", _("Recompute now")
    INPUT = "input", _("An input changed")
    PERIODIC = "periodic", _("Periodic job")


class ScoreRun(models.Model):
    """One computation of a campaign's score, with the config version it used. `summary` holds
    the totals by method, aspect and system; `projection` the latest Monte Carlo projection."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="score_runs")
    config = models.ForeignKey(ScoringConfig, on_delete=models.PROTECT, related_name="runs")
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed at"))
    total = models.FloatField(_("total"))
    max_total = models.FloatField(_("maximum"))
    barred = models.BooleanField(_("barred"), default=False)
    summary = models.JSONField(default=dict)
    projection = models.JSONField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("score run")
        verbose_name_plural = _("score runs")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["campaign", "-computed_at"], name="scoring_run_latest_idx")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.computed_at:%Y-%m-%d %H:%M}"


class IndicatorScore(models.Model):
    """An indicator's result in a run. `earned`/`max_points` count only the methods that had
    data; `no_data` is true when none had (shown as "no data", never as 0 or full marks)."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="indicator_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    level = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=2, blank=True)
    earned = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(default=0)
    full_points = models.FloatField(default=0)
    no_data = models.BooleanField(default=False)
    explain = models.JSONField(default=dict, blank=True)

    scope_field = "^run__campaign__root_unit"

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(fields=["run", "indicator"], name="scoring_indicator_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.earned}/{self.max_points}"

    @property
    def lost(self) -> float:
        return 0.0 if self.earned is None else round(self.max_points - self.earned, 2)


class LossRole(models.TextChoices):
    TASK = "task", _("Task owner")
    MATERIAL = "material", _("Material owed")
    POINT = "point", _("Point owner")
    PROBLEM = "problem", _("Open problem")
    AREA = "area", _("Survey area")
    NEGATIVE = "negative", _("Negative-list event")


class LostPoint(models.Model):
    """谁失分、谁负责: points lost on one indicator's method, attributed to one unit."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="lost_points")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    method = models.CharField(max_length=12, blank=True)
    role = models.CharField(max_length=10, choices=LossRole.choices)
    lost = models.FloatField()
    refs = models.JSONField(default=list, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("lost points")
        verbose_name_plural = _("lost points")
        ordering = ["-lost", "id"]
        indexes = [models.Index(fields=["run", "unit"], name="scoring_lost_run_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} −{self.lost}"


class UnitLoss(models.Model):
    """A unit's total lost points in a run (the league table row)."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="unit_losses")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    lost = models.FloatField()
    rank = models.PositiveIntegerField()

    scope_field = "unit"

    class Meta:
        verbose_name = _("unit league row")
        verbose_name_plural = _("unit league")
        ordering = ["rank"]
        indexes = [models.Index(fields=["run", "rank"], name="scoring_league_idx")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit_id} −{self.lost}"


class WhatIfKind(models.TextChoices):
    OBSERVATION = "observation", _("Failed field item")
    PROBLEM = "problem", _("Open problem")
    MATERIAL = "material", _("Missing material")
    SURVEY_AREA = "survey_area", _("Weak survey area")


class WhatIf(models.Model):
    """One fix and the points the city total would gain by it (the indicator recomputed)."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="what_ifs")
    kind = models.CharField(max_length=12, choices=WhatIfKind.choices)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=300)
    gain = models.FloatField()
    indicator_gain = models.FloatField()
    ref = models.JSONField(default=dict, blank=True)
    rank = models.PositiveIntegerField()

    scope_field = "unit"

    class Meta:
        verbose_name = _("what-if")
        verbose_name_plural = _("what-ifs")
        ordering = ["rank"]
        indexes = [models.Index(fields=["run", "rank"], name="scoring_whatif_idx")]

    def __str__(self) -> str:
        return self.label


class ScoringState(models.Model):
    """Per campaign: whether a debounced recompute is pending (so a burst of saves queues one)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="scoring_state")
    dirty_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.campaign_id} dirty={self.dirty_since}"
