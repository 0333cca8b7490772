"""Praise and criticism lists (通报表扬 / 通报批评, 红榜 / 黑榜) per campaign and month, and the
public exposure board (曝光台) of unrectified problems with blurred photo copies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RollKind(models.TextChoices):
    PRAISE = "praise", _("Commendation (red list)")
    CRITICISM = "criticism", _("Criticism (black list)")


class RollStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Roll(models.Model):
    """One month's list of one kind for a campaign: proposed from the figures, edited and
    approved by the office, then published to the units (and, if chosen, to the public)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))  # the first day of the month
    kind = models.CharField(_("kind"), max_length=10, choices=RollKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RollStatus.choices, default=RollStatus.DRAFT
    )
    public = models.BooleanField(_("shown on the public page"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("praise or criticism list")
        verbose_name_plural = _("praise and criticism lists")
        ordering = ["-month", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "month", "kind"], name="exposure_roll_one_per_month")
        ]
        indexes = [models.Index(fields=["status", "public", "month"], name="exposure_roll_pub_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m}"


class RollEntry(models.Model):
    roll = models.ForeignKey(Roll, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    figures = models.CharField(_("figures"), max_length=300, blank=True)
    proposed = models.BooleanField(_("proposed from the figures"), default=False)

    scope_field = "roll__campaign__root_unit"

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["roll", "unit"], name="exposure_entry_unit_once")]

    def __str__(self) -> str:
        return f"{self.roll}: {self.unit_id}"


class ExposureStatus(models.TextChoices):
    PUBLISHED = "published", _("On the board")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Exposure(models.Model):
    """An unrectified problem on the public board. `before` and `after` are published COPIES
    with faces and the marked regions blurred; the originals stay with the problem."""

    problem = models.OneToOneField(
        "problems.Problem", verbose_name=_("problem"), on_delete=models.CASCADE, related_name="exposure"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("public description"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ExposureStatus.choices, default=ExposureStatus.PUBLISHED
    )
    before = models.FileField(_("published photo"), upload_to="exposure/", max_length=200)
    after = models.FileField(_("published after photo"), upload_to="exposure/", max_length=200, blank=True)
    regions = models.JSONField(_("regions blurred by hand"), default=list, blank=True)
    faces = models.PositiveSmallIntegerField(_("faces blurred"), default=0)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    scope_field = "unit"

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"], name="exposure_board_idx")]

    def __str__(self) -> str:
        return self.title
