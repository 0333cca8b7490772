"""Inspection rounds (督查/测评), the points drawn for them, and what inspectors observed.

A team is a unit (the supervision team 督查组, a cross-check group, a street's own staff for a
self-check): its members are the users with a membership there, so "the inspectors of a team"
needs no second membership table and scoping works unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.points.models import PhotoFields


class RoundKind(models.TextChoices):
    PATROL = "patrol", _("Daily patrol (巡查)")
    SUPERVISION = "supervision", _("Weekly supervision (督查)")
    CROSS_CHECK = "cross_check", _("Cross-check (交叉检查)")
    MOCK_TEST = "mock_test", _("Mock test (模拟测评)")
    SELF_CHECK = "self_check", _("Self-check (自查)")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Under way")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    """An inspection round: a kind, a period, the organizing unit, the team and its points."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_rounds",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=20, choices=RoundKind.choices, default=RoundKind.SUPERVISION
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    organizer = models.ForeignKey(
        "org.Unit",
        verbose_name=_("organizing unit"),
        on_delete=models.PROTECT,
        related_name="organized_rounds",
    )
    team = models.ForeignKey(
        "org.Unit",
        verbose_name=_("inspection team"),
        on_delete=models.PROTECT,
        related_name="team_rounds",
        help_text=_("The unit whose inspectors carry out the round (e.g. 督查组)."),
    )
    pass_rate = models.FloatField(_("pass mark (%)"), default=80.0)
    scoring_config = models.JSONField(
        _("scoring overrides"),
        default=dict,
        blank=True,
        help_text=_(
            'e.g. {"grade_thresholds": [0, 1, 2], "grade_rates": {"A": 1, "B": 0.66, "C": 0.33, "C#": 0}}'
        ),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = ("organizer", "team")

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="round_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Sampling(models.Model):
    """A random draw of points by type quotas; the seed and candidates make it reproducible."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="samplings")
    seed = models.BigIntegerField(_("seed"))
    quotas = models.JSONField(_("quotas"), help_text=_("Point type code → number of points."))
    within = models.ForeignKey(
        "org.Unit",
        verbose_name=_("within"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    candidates_count = models.PositiveIntegerField()
    candidates_digest = models.CharField(max_length=64, help_text=_("SHA-256 of the sorted candidate ids."))
    drawn = models.JSONField(default=list)
    shortfall = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = ("round__organizer", "round__team")

    class Meta:
        verbose_name = _("sampling")
        verbose_name_plural = _("samplings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.round} · seed {self.seed}"


class VisitStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class RoundPoint(models.Model):
    """A point in a round, with the team assigned and the scored result of the visit."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_points")
    point = models.ForeignKey("points.Point", on_delete=models.PROTECT, related_name="round_points")
    team = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    sampling = models.ForeignKey(Sampling, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    seq = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=VisitStatus.choices, default=VisitStatus.TODO)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    score_rate = models.FloatField(_("score rate (%)"), null=True, blank=True)
    failed_count = models.PositiveSmallIntegerField(default=0)
    observed_count = models.PositiveSmallIntegerField(default=0)

    # The responsible unit sees its points' results; the team sees what it must inspect.
    scope_field = ("point__unit", "team")

    class Meta:
        verbose_name = _("round point")
        verbose_name_plural = _("round points")
        ordering = ["round", "seq", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "point"], name="round_point_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.point}"


class TeamAssignment(RoundPoint):
    """The same rows seen from the team's side: recording observations is for the team only,
    never for the unit whose point it is (it must not grade itself)."""

    scope_field = "team"

    class Meta:
        proxy = True
        verbose_name = _("team assignment")
        verbose_name_plural = _("team assignments")


class Result(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NA = "na", _("Not applicable")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    C_SHARP = "C#", "C#"


class Observation(models.Model):
    """What was found for one checklist item at one point in one round, and how it scored."""

    round_point = models.ForeignKey(RoundPoint, on_delete=models.CASCADE, related_name="observations")
    item = models.ForeignKey("points.ChecklistItem", on_delete=models.PROTECT, related_name="observations")
    result = models.CharField(_("result"), max_length=4, choices=Result.choices, blank=True)
    occurrences = models.PositiveIntegerField(_("occurrences"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    failed = models.BooleanField(default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    observed_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    client_key = models.CharField(max_length=64, blank=True)
    # Offline field work: observed_at is when the phone captured the entry; received_at when
    # the server got it (they differ for an entry queued without a signal).
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    gps_accuracy_m = models.FloatField(_("GPS accuracy (m)"), null=True, blank=True)
    problem_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("The problem filed for this failure.")
    )

    scope_field = ("round_point__point__unit", "round_point__team")

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["round_point", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["round_point", "item"], name="observation_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.round_point} · {self.item.number}"


class ObservationPhoto(PhotoFields):
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="photos")

    scope_field = ("observation__round_point__point__unit", "observation__round_point__team")

    class Meta:
        verbose_name = _("observation photo")
        verbose_name_plural = _("observation photos")
        ordering = ["id"]
        constraints = [
            # The same picture sent again (a retry, a double tap) is kept once per observation.
            models.UniqueConstraint(fields=["observation", "sha256"], name="observation_photo_once"),
        ]


class ChecklistSubmission(models.Model):
    """A whole checklist sent at once with an idempotency key: a resend is answered, not stored."""

    key = models.CharField(max_length=80, unique=True)
    round_point = models.ForeignKey(RoundPoint, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)

    scope_field = ("round_point__point__unit", "round_point__team")

    class Meta:
        verbose_name = _("checklist submission")
        verbose_name_plural = _("checklist submissions")

    def __str__(self) -> str:
        return self.key
