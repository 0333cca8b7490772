"""The evaluation system (测评体系): Ⅰ → Ⅱ → Ⅲ indicators, methods, grade bands, negative list."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign
from chuangwen.core.text import normalize_name


class SystemLevel(models.TextChoices):
    PREFECTURE = "prefecture", _("Prefecture level and above (地级以上)")
    COUNTY = "county", _("County level (县级)")
    MINORS = "minors", _("Minors' moral development (未成年人思想道德建设)")
    VILLAGES = "villages", _("Civilized villages and towns (文明村镇)")


class Method(models.TextChoices):
    """How an item is assessed. 材料审核 and 网上申报 are one method under two names."""

    MATERIALS = "materials", _("Materials review / online filing (材料审核/网上申报)")
    DEPARTMENT = "department", _("Department evaluation (部门评价)")
    PHOTOS = "photos", _("Site photos (实景图片)")
    FIELD = "field", _("Field inspection (实地考察)")
    SURVEY = "survey", _("Questionnaire (问卷调查)")
    PHONE = "phone", _("Telephone check (电话核验)")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    C_HASH = "C#", "C#"


class Comparator(models.TextChoices):
    GT = ">", ">"
    GE = "≥", "≥"
    LT = "<", "<"
    LE = "≤", "≤"
    EQ = "=", "="


class EvaluationSystem(models.Model):
    """One edition of an evaluation system as deployed in a campaign (several per campaign:
    the city system, 未成年人思想道德建设 and 文明村镇 are scored side by side)."""

    name = models.CharField(_("name"), max_length=120)
    edition = models.CharField(_("edition"), max_length=40, blank=True, help_text=_("e.g. 2023年版"))
    level = models.CharField(
        _("level"), max_length=20, choices=SystemLevel.choices, default=SystemLevel.PREFECTURE
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluation_systems",
    )
    # Share of an item's points earned by each grade; DOMAIN gives 100/66/33/0 as the default.
    grade_a_pct = models.PositiveSmallIntegerField(_("grade A scores (%)"), default=100)
    grade_b_pct = models.PositiveSmallIntegerField(_("grade B scores (%)"), default=66)
    grade_c_pct = models.PositiveSmallIntegerField(_("grade C scores (%)"), default=33)
    grade_c_hash_pct = models.PositiveSmallIntegerField(_("grade C# scores (%)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # Visible to everyone inside the campaign's territory; without a campaign, to the office only.
    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("evaluation system")
        verbose_name_plural = _("evaluation systems")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.edition}".strip()

    def grade_pct(self, grade: str) -> int:
        return {
            Grade.A: self.grade_a_pct,
            Grade.B: self.grade_b_pct,
            Grade.C: self.grade_c_pct,
            Grade.C_HASH: self.grade_c_hash_pct,
        }[Grade(grade)]

    def score_for(self, grade: str, points: Decimal | int | float) -> Decimal:
        """Points earned by an item of `points` graded `grade`."""
        return (Decimal(str(points)) * self.grade_pct(grade) / 100).quantize(Decimal("0.01"))


class IndicatorLevel(models.IntegerChoices):
    I = 1, _("Ⅰ assessment item (测评项目)")  # noqa: E741 - the Roman numeral is the domain's name
    II = 2, _("Ⅱ assessment content (测评内容)")
    III = 3, _("Ⅲ assessment standard (测评标准)")


class Indicator(models.Model):
    """A node of the tree. `methods` is a list of Method values (a set: no repeats)."""

    system = models.ForeignKey(EvaluationSystem, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=IndicatorLevel.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, default="", db_index=True)
    standard = models.TextField(_("standard"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    methods = models.JSONField(_("assessment methods"), default=list, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    scope_field = "^system__campaign__root_unit"

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["system", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="indicator_code_unique"),
        ]
        indexes = [models.Index(fields=["system", "level"], name="indicator_system_level_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def save(self, *args, **kwargs) -> None:
        self.name_key = normalize_name(self.name)[:200]
        self.methods = [m for m in Method.values if m in set(self.methods or [])]
        super().save(*args, **kwargs)

    @property
    def method_labels(self) -> list[str]:
        return [Method(m).label for m in self.methods if m in Method.values]


class GradeBand(models.Model):
    """One grade's threshold on a quantitative item, e.g. A when the rate is >35%."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="grade_bands")
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices)
    measure = models.CharField(_("measure"), max_length=120, blank=True, help_text=_("e.g. 全年优良天数比例"))
    comparator = models.CharField(_("comparator"), max_length=1, choices=Comparator.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unit of measure"), max_length=10, blank=True)
    expression = models.CharField(_("threshold as written"), max_length=60)

    scope_field = "^indicator__system__campaign__root_unit"

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["indicator", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "grade"], name="grade_band_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.grade} {self.expression}"

    def matches(self, measured: Decimal | int | float) -> bool:
        from chuangwen.indicators.parsing import compare

        return compare(Decimal(str(measured)), self.comparator, self.value)


class Sanction(models.TextChoices):
    DEDUCT = "deduct", _("Deduct points")
    DISQUALIFY = "disqualify", _("Disqualify")


class NegativeItem(models.Model):
    """A negative-list entry (负面清单): 重大负面事件, 形式主义, 弄虚作假… and what it costs."""

    system = models.ForeignKey(EvaluationSystem, on_delete=models.CASCADE, related_name="negative_items")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sanction = models.CharField(
        _("sanction"), max_length=12, choices=Sanction.choices, default=Sanction.DEDUCT
    )
    points = models.DecimalField(_("points deducted"), max_digits=6, decimal_places=2, null=True, blank=True)

    scope_field = "^system__campaign__root_unit"

    class Meta:
        verbose_name = _("negative-list item")
        verbose_name_plural = _("negative list")
        ordering = ["system", "id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="negative_item_unique"),
            models.CheckConstraint(
                condition=~models.Q(sanction="deduct") | models.Q(points__isnull=False),
                name="negative_item_deduct_has_points",
            ),
        ]

    def __str__(self) -> str:
        return self.name
