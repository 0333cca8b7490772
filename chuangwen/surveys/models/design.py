"""The design of a questionnaire: sections, questions, options with values, grade bands."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("Citizens (市民)")
    TEACHER = "teacher", _("Teachers (教师)")
    PARENT = "parent", _("Parents of pupils (学生家长)")
    RESIDENT_UNIT = "resident_unit", _("Resident units (驻地单位)")


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Measure(models.TextChoices):
    """What a question measures; the rate of a question is named after it (满意率, 知晓率…)."""

    AWARENESS = "awareness", _("Awareness (知晓率)")
    SUPPORT = "support", _("Support (支持率)")
    SATISFACTION = "satisfaction", _("Satisfaction (满意率)")
    PARTICIPATION = "participation", _("Participation (参与率)")
    EVALUATION = "evaluation", _("Evaluation (评价)")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating")
    YES_NO = "yes_no", _("Yes / no")
    INTEGER = "integer", _("Whole number")
    TEXT = "text", _("Text")
    # XLSForm types beyond the scoring kinds (issue 22): answers stored as a number or a text.
    DECIMAL = "decimal", _("Decimal number")
    NOTE = "note", _("Note (no answer)")
    CALCULATE = "calculate", _("Calculation")
    DATE = "date", _("Date")
    TIME = "time", _("Time")
    DATETIME = "datetime", _("Date and time")
    GEOPOINT = "geopoint", _("Location")
    ACKNOWLEDGE = "acknowledge", _("Acknowledgement")
    METADATA = "metadata", _("Recorded automatically")


# Kinds whose answers pick options; the others carry a number or a text.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO})
# Kinds that give a response a score between 0 and 1 and so have a rate.
SCORED_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.RATING})

DEFAULT_THRESHOLD = Decimal("0.80")
# 满意率 A > 80 %, B > 75 %, C ≤ 75 %: the usual bands; every questionnaire can change them.
DEFAULT_BANDS = (("A", Decimal("0.80")), ("B", Decimal("0.75")), ("C", None))

_RATE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Questionnaire(models.Model):
    """One questionnaire of a campaign for one audience (市民, 教师, 学生家长, 驻地单位).

    Its questions can change only while it is a draft with no responses; once open, rounds of
    fieldwork collect responses against it.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="questionnaires"
    )
    name = models.CharField(_("name"), max_length=120)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.CITIZEN
    )
    status = models.CharField(
        _("status"), max_length=10, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Read or shown to the respondent before the questions.")
    )
    threshold = models.DecimalField(
        _("pass threshold"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_THRESHOLD,
        validators=_RATE,
        help_text=_("Areas and units whose rate is below this are flagged (0.80 = 80%)."),
    )
    # XLSForm settings kept for export and the interview page: form_id, version,
    # default_language, languages (the label languages in sheet order).
    xlsform = models.JSONField(_("XLSForm settings"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every design change: compiled forms are cached per (id, updated_at).
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-campaign__year", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_audience_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == QuestionnaireStatus.DRAFT


class Section(models.Model):
    """A group of questions (XLSForm `begin group`), e.g. 基本情况, 知晓度, 满意度."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("title"), max_length=200, blank=True)
    # XLSForm logic of the group: parent (the enclosing group's name), relevant, appearance,
    # labels {language: text}.
    logic = models.JSONField(_("logic"), default=dict, blank=True)

    scope_field = "^questionnaire__campaign__root_unit"

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "name"], name="survey_section_name_unique"),
        ]

    def __str__(self) -> str:
        return self.title or self.name


class Question(models.Model):
    """A question, what it measures and which indicator it serves.

    `indicator_code` holds the code of the evaluation-system item (测评标准, e.g. "3.2.1") the
    question serves, as written in the XLSForm. Questionnaires are often designed before the
    evaluation system is imported, so the code is kept as text and `indicator` is filled by
    `services.link_indicators()`: the indicator with that code in an evaluation system of the
    questionnaire's campaign (left empty while there is none, or more than one). Rates are
    grouped by the code either way.

    A screening question ends the interview when its answer is outside the population:
    an integer outside [screen_min, screen_max] (age 18–65) or an option marked
    `ends_interview` (lived here less than 6 months).
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.SlugField(_("name"), max_length=60, help_text=_("Short identifier, e.g. q5 or age."))
    label = models.TextField(_("question"))
    hint = models.TextField(_("hint"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, blank=True)
    indicator_code = models.CharField(_("indicator code"), max_length=40, blank=True, db_index=True)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_questions",
    )
    is_screening = models.BooleanField(_("screening question"), default=False)
    screen_min = models.IntegerField(_("lowest accepted"), null=True, blank=True)
    screen_max = models.IntegerField(_("highest accepted"), null=True, blank=True)
    scale_min = models.IntegerField(_("scale from"), null=True, blank=True)
    scale_max = models.IntegerField(_("scale to"), null=True, blank=True)
    count_unsure = models.BooleanField(
        _("count “don't know” answers"),
        default=False,
        help_text=_(
            "If set, options without a value (说不清) count in the base as not satisfied; "
            "otherwise they are left out of the rate."
        ),
    )
    threshold = models.DecimalField(
        _("pass threshold"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=_RATE,
        help_text=_("Leave empty to use the questionnaire's threshold."),
    )
    # The XLSForm logic, as written (ODK XPath with ${name} references; see surveys/logic.py):
    # relevant, constraint, constraint_message {lang}, required (an expression when not a plain
    # yes/no), required_message {lang}, calculation, default, choice_filter, appearance,
    # parameters, screening, labels {lang}, hints {lang}, path (enclosing groups), list_name.
    logic = models.JSONField(_("logic"), default=dict, blank=True)

    scope_field = "^questionnaire__campaign__root_unit"

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "name"], name="survey_question_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}. {self.label[:60]}"

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED_KINDS

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS

    def effective_threshold(self) -> Decimal:
        return self.threshold if self.threshold is not None else self.questionnaire.threshold


class Option(models.Model):
    """An answer option and its value: 满意 1, 基本满意 0.8 (or 1), 不满意 0, 说不清 no value."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=60)
    label = models.TextField(_("label"))
    value = models.DecimalField(
        _("value"),
        max_digits=5,
        decimal_places=3,
        null=True,
        blank=True,
        validators=_RATE,
        help_text=_("1 = fully positive, 0 = negative; empty for “don't know”."),
    )
    ends_interview = models.BooleanField(
        _("ends the interview"), default=False, help_text=_("The respondent is outside the population.")
    )
    # labels {lang: text} and the choice's other columns (what a choice_filter tests).
    extra = models.JSONField(_("other columns"), default=dict, blank=True)

    scope_field = "^question__questionnaire__campaign__root_unit"

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="survey_option_name_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class GradeBand(models.Model):
    """A grade and the rate it needs: A above 80 %, B above 75 %, C at or below 75 %.

    A rate gets the first band (highest `lower` first) whose `lower` it exceeds; the band
    with no `lower` takes every rate left. `measure` empty means every measure without bands
    of its own.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="bands")
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, blank=True)
    grade = models.CharField(_("grade"), max_length=4)
    lower = models.DecimalField(
        _("rate above"), max_digits=4, decimal_places=3, null=True, blank=True, validators=_RATE
    )

    scope_field = "^questionnaire__campaign__root_unit"

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["questionnaire", "measure", models.F("lower").desc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "measure", "grade"], name="survey_band_grade_unique"
            ),
        ]

    def __str__(self) -> str:
        if self.lower is None:
            return f"{self.grade}"
        return f"{self.grade} > {self.lower:.0%}"
