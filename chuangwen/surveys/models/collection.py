"""Fieldwork: rounds with their sampling quotas and enumerators, responses and answers."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.org.models import Unit
from chuangwen.surveys.models.design import Option, Question, Questionnaire


class RoundMode(models.TextChoices):
    ENUMERATOR = "enumerator", _("Door to door by enumerators (模拟问卷)")
    PUBLIC = "public", _("Self-administered through a public link")
    HOTLINE = "hotline", _("12345 hotline callbacks")


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Round(models.Model):
    """A wave of fieldwork with one questionnaire: its sampling plan (quotas), its enumerators,
    and for a self-administered round the public link. Comparing rounds gives the trend."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=120)
    mode = models.CharField(_("mode"), max_length=12, choices=RoundMode.choices, default=RoundMode.ENUMERATOR)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    public_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    require_phone = models.BooleanField(
        _("ask for a phone number"),
        default=True,
        help_text=_("Public rounds: one response per phone number (the number is stored hashed)."),
    )
    rate_limit_per_hour = models.PositiveIntegerField(
        _("responses per hour from one network address"), default=30
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "^questionnaire__campaign__root_unit"

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Quota(models.Model):
    """How many complete interviews a round needs in an area, optionally for one sex and age band
    (e.g. 100 communities × 20 households, or 10 women aged 18–35 in 松林一社区)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(Unit, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_min = models.PositiveSmallIntegerField(_("age from"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("age to"), null=True, blank=True)
    target = models.PositiveIntegerField(_("target"))

    scope_field = "unit"

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["round", "unit__path", "sex", "age_min", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.cell_label} {self.target}"

    @property
    def cell_label(self) -> str:
        parts = []
        if self.sex:
            parts.append(str(self.get_sex_display()))
        if self.age_min is not None or self.age_max is not None:
            parts.append(f"{self.age_min or ''}–{self.age_max or ''}")
        return " ".join(parts)

    def matches(self, sex: str, age: int | None) -> bool:
        if self.sex and sex != self.sex:
            return False
        if self.age_min is not None and (age is None or age < self.age_min):
            return False
        return not (self.age_max is not None and (age is None or age > self.age_max))


class Assignment(models.Model):
    """An enumerator sent to an area for a round. Enumerators may also collect, without an
    assignment, in the units where they hold the enumerator role."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    enumerator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enumerator"),
        on_delete=models.CASCADE,
        related_name="survey_assignments",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round", "unit__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "enumerator", "unit"], name="survey_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enumerator} → {self.unit}"


class Channel(models.TextChoices):
    ENUMERATOR = "enumerator", _("Enumerator")
    PUBLIC = "public", _("Public link")
    HOTLINE = "hotline", _("Hotline callback")


class ResponseStatus(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    SCREENED_OUT = "screened_out", _("Screened out")
    VOID = "void", _("Void")


class Response(models.Model):
    """One interview (答卷). Stored whole or not at all, once per idempotency key.

    The phone number and the device cookie of a self-administered response are stored only as
    keyed hashes: enough to refuse a second response, not enough to contact anybody.
    """

    # The (round, status, unit) index below serves round look-ups.
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses", db_index=False)
    unit = models.ForeignKey(Unit, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=14, choices=ResponseStatus.choices)
    idempotency_key = models.CharField(max_length=80, unique=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    screened_out_by = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    device_hash = models.CharField(max_length=64, blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="")
    external_ref = models.CharField(_("ticket number"), max_length=60, blank=True, default="")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["round", "status", "unit"], name="survey_resp_round_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "device_hash"], condition=~Q(device_hash=""), name="survey_one_per_device"
            ),
            models.UniqueConstraint(
                fields=["round", "phone_hash"], condition=~Q(phone_hash=""), name="survey_one_per_phone"
            ),
            models.UniqueConstraint(
                fields=["round", "external_ref"], condition=~Q(external_ref=""), name="survey_one_per_ticket"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit}"


class Answer(models.Model):
    """One answer row: a picked option (one row per option of a multiple choice), a number or
    a text. `score` (0–1, or empty when the answer does not count) is derived from the option's
    value or the rating when the response is stored, and rewritten when option values change;
    `round` and `unit` are copied from the response so rates are one GROUP BY over this table.
    """

    # Every index costs each of the ~13 rows an interview writes: the composite index below
    # serves round and unit look-ups, so those foreign keys get none of their own.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Options are deleted only with a draft's design, never under answers (replace_design refuses);
    # the database constraint guards it, so no unindexed look-up runs on delete.
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True, default="")
    score = models.FloatField(null=True, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            # Covers the rate queries: filter by round, group by question and unit, sum score.
            models.Index(fields=["round", "question", "unit", "score"], name="survey_answer_rates"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.number or self.text[:20]}"


class RateCounter(models.Model):
    """Requests counted per key and time window in the database, so a limit holds across every
    web process (no in-memory state)."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="survey_rate_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M} {self.count}"
