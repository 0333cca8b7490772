"""What a task asks units to file (网报材料要求) and who reviews it at which level."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.accounts.models import Role
from chuangwen.campaigns.models import Campaign
from chuangwen.tasks.models import Task
from chuangwen.tasks.periods import add_months, month_end


class MaterialKind(models.TextChoices):
    SUMMARY = "summary", _("Summary report (部门评价)")
    NORM = "norm", _("Normative document (规范文件)")
    REPORT = "report", _("Explanatory report (说明报告)")
    TABLE = "table", _("Statistical table (统计表格)")
    PHOTOS = "photos", _("Activity photos (实景图片)")
    VIDEO = "video", _("Video")


# Kinds filed as documents (docx, pdf, xlsx); photos and video are the other two.
DOCUMENT_KINDS = (MaterialKind.SUMMARY, MaterialKind.NORM, MaterialKind.REPORT, MaterialKind.TABLE)


class Cadence(models.TextChoices):
    ONCE = "once", _("Once in the evidence window")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    YEARLY = "yearly", _("Every year")
    NAMED_DATES = "named_dates", _("On named dates (3·15, 质量月…)")


class RequirementQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> RequirementQuerySet:
        """Requirements of the tasks the user may see (a task reaches units through its
        assignments, so this goes through Task.visible_to, which applies the scoping helper)."""
        from chuangwen.accounts.scope import scope_for

        if scope_for(user).everything:
            return self
        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))


class MaterialRequirement(models.Model):
    """One kind of material a task asks for, with the rules the evidence checks apply.

    Every number is optional: a blank one is simply not checked. Drafts come from the task's
    材料审核具体要求 text (see materials.parsing) and the office edits them.
    """

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="material_requirements"
    )
    seq = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=MaterialKind.choices, default=MaterialKind.PHOTOS
    )
    cadence = models.CharField(_("cadence"), max_length=12, choices=Cadence.choices, default=Cadence.ONCE)
    # [{"label": "3·15", "md": "03-15"}, {"label": "端午节", "festival": "duanwu"},
    #  {"label": "质量月", "md": "09-01", "days": 30}, {"label": "…", "date": "2024-06-18"}]
    named_dates = models.JSONField(_("named dates"), default=list, blank=True)
    photos_min = models.PositiveSmallIntegerField(_("photos per activity, at least"), null=True, blank=True)
    photos_max = models.PositiveSmallIntegerField(_("photos per activity, at most"), null=True, blank=True)
    photos_total_max = models.PositiveSmallIntegerField(_("photos in all, at most"), null=True, blank=True)
    min_participants = models.PositiveIntegerField(_("participants, at least"), null=True, blank=True)
    organiser_required = models.BooleanField(_("organiser must be named"), default=False)
    words_min = models.PositiveIntegerField(_("words, at least"), null=True, blank=True)
    words_max = models.PositiveIntegerField(_("words, at most"), null=True, blank=True)
    window_from = models.DateField(_("evidence window from"), null=True, blank=True)
    window_to = models.DateField(_("evidence window to"), null=True, blank=True)
    notes = models.TextField(
        _("other conditions"),
        blank=True,
        help_text=_("Conditions a reviewer checks by eye, e.g. no uncivil behaviour in the pictures."),
    )
    source_text = models.TextField(_("requirement as written"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("material requirement")
        verbose_name_plural = _("material requirements")
        ordering = ["task", "seq", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(photos_min__isnull=True)
                | models.Q(photos_max__isnull=True)
                | models.Q(photos_max__gte=models.F("photos_min")),
                name="materials_requirement_photos_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(window_from__isnull=True)
                | models.Q(window_to__isnull=True)
                | models.Q(window_to__gte=models.F("window_from")),
                name="materials_requirement_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_document(self) -> bool:
        return self.kind in DOCUMENT_KINDS

    def window(self) -> tuple[dt.date, dt.date]:
        """The evidence window: as set, else the year ending one month before the inspection
        (how 测评 usually counts), else the campaign's calendar year."""
        campaign = self.task.campaign
        start, end = self.window_from, self.window_to
        if end is None:
            if campaign.inspection_start:
                end = month_end(add_months(campaign.inspection_start, -1))
            else:
                end = dt.date(campaign.year, 12, 31)
        if start is None:
            after = end + dt.timedelta(days=1)
            try:
                start = after.replace(year=after.year - 1)
            except ValueError:  # 29 February
                start = after.replace(year=after.year - 1, day=28)
        return start, end


class ReviewLevel(models.TextChoices):
    FIRST = "first", _("First review (初审)")
    SECOND = "second", _("Second review (复审)")
    FINAL = "final", _("Final review (终审)")


LEVEL_ORDER = (ReviewLevel.FIRST, ReviewLevel.SECOND, ReviewLevel.FINAL)


def _default_first() -> list[str]:
    return [Role.UNIT_ADMIN]


def _default_second() -> list[str]:
    return [Role.OFFICE_ADMIN]


def _default_final() -> list[str]:
    return [Role.LEADER, Role.OFFICE_ADMIN]


class ReviewPolicy(models.Model):
    """Who may act at each review level in one campaign.

    A reviewer holds one of the level's roles in the submitting unit or a unit above it (so
    初审 by the unit's own admin or its parent unit's admin). A level with no roles is skipped.
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="material_review_policy")
    first_roles = models.JSONField(_("first review (初审) roles"), default=_default_first, blank=True)
    second_roles = models.JSONField(_("second review (复审) roles"), default=_default_second, blank=True)
    final_roles = models.JSONField(_("final review (终审) roles"), default=_default_final, blank=True)
    separate_reviewers = models.BooleanField(
        _("one person acts at one level only"),
        default=True,
        help_text=_("Whoever approved a version at one level may not approve it again at a later level."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("review policy")
        verbose_name_plural = _("review policies")

    def __str__(self) -> str:
        return str(self.campaign)

    def roles_for(self, level: str) -> tuple[str, ...]:
        raw = {
            ReviewLevel.FIRST: self.first_roles,
            ReviewLevel.SECOND: self.second_roles,
            ReviewLevel.FINAL: self.final_roles,
        }[ReviewLevel(level)]
        return tuple(r for r in (raw or []) if r in Role.values)

    def levels(self) -> list[str]:
        """The levels in force, in order (at least the final one: somebody must approve)."""
        found = [level for level in LEVEL_ORDER if self.roles_for(level)]
        return found or [ReviewLevel.FINAL]

    def next_level(self, level: str | None) -> str | None:
        levels = self.levels()
        if level is None:
            return levels[0]
        index = levels.index(level) if level in levels else -1
        return levels[index + 1] if index + 1 < len(levels) else None

    @classmethod
    def for_campaign(cls, campaign: Campaign) -> ReviewPolicy:
        """The campaign's policy; an unsaved default one when the office has not set it."""
        try:
            return campaign.material_review_policy
        except cls.DoesNotExist:
            return cls(campaign=campaign)
