"""督查通报: numbered bulletins (第N期) about a period's inspections and rectification.

A bulletin is a draft while the office writes it: its figures are gathered from the problems
and inspections (`content`, a JSON snapshot) and its .docx and PDF are generated in the
background. Publishing gives it the next number of its campaign and year, freezes it and
shows it to the units it names (`BulletinUnit`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class JobState(models.TextChoices):
    IDLE = "idle", _("Not generated")
    QUEUED = "queued", _("Waiting to be generated")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Generated")
    FAILED = "failed", _("Generation failed")


# A job in one of these states is under way: asking again must not start a second one.
BUSY_STATES = (JobState.QUEUED, JobState.RUNNING)


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> BulletinQuerySet:
        """Bulletins the user may read: drafts for the office only; published bulletins for the
        office and leaders (scope "everything") and for the units they name, or the units above
        those (a street sees bulletins naming its communities).

        Bulletins reach units through BulletinUnit (a reverse relation), so the scoping helper
        is applied to BulletinUnit and bulletins are selected by id (no duplicate rows).
        """
        from chuangwen.accounts.scope import scope_for, scoped
        from chuangwen.bulletins.permissions import MANAGE, has_any_role

        if has_any_role(user, MANAGE):
            return self
        published = self.filter(status=BulletinStatus.PUBLISHED)
        if scope_for(user).everything:
            return published
        return published.filter(pk__in=scoped(BulletinUnit.objects.all(), user).values("bulletin_id"))


class BulletinCounter(models.Model):
    """The last number issued per campaign and year: locked while a bulletin is published, so
    numbers follow each other without gaps or repeats however many offices publish at once."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "year"], name="bulletin_counter_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.year}: {self.last_number}"


class Bulletin(models.Model):
    """One issue of the 督查通报: its period, the office's texts, the gathered figures and files."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="bulletins"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    round = models.ForeignKey(
        "inspections.Round",
        verbose_name=_("inspection round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    street = models.ForeignKey(
        "org.Unit",
        verbose_name=_("street / township"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The period and filters as one string: one draft per set of parameters, so asking twice
    # for the same bulletin finds the draft instead of making a second one.
    params_key = models.CharField(max_length=80, editable=False)

    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuing office"), max_length=120)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    lead = models.TextField(_("lead paragraph"), blank=True)
    highlights = models.TextField(_("highlights"), blank=True)
    good_text = models.TextField(_("well rectified (整改较好)"), blank=True)
    poor_text = models.TextField(_("not rectified (整改未落实)"), blank=True)
    requirements = models.TextField(_("rectification requirements (整改要求)"), blank=True)
    submit_to = models.CharField(_("submitted to (报送)"), max_length=300, blank=True)
    copy_to = models.CharField(_("copied to (抄送)"), max_length=300, blank=True)

    content = models.JSONField(default=dict, blank=True, editable=False)
    docx = models.FileField(_("Word document"), upload_to="bulletins/%Y/", max_length=200, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/%Y/", max_length=200, blank=True)
    # Photos the last generation could not read ([{"photo": id, "problem": id}]), shown on the page.
    missing_photos = models.JSONField(default=list, blank=True, editable=False)

    job_state = models.CharField(
        _("generation"), max_length=10, choices=JobState.choices, default=JobState.IDLE
    )
    job_token = models.PositiveIntegerField(default=0, editable=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    job_stage = models.CharField(max_length=80, blank=True)
    job_error = models.TextField(blank=True)
    job_started_at = models.DateTimeField(null=True, blank=True)
    job_finished_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "year", "number"],
                condition=Q(number__isnull=False),
                name="bulletin_number_unique",
            ),
            models.UniqueConstraint(
                fields=["params_key"], condition=Q(status="draft"), name="bulletin_one_draft_per_params"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="bulletin_period"
            ),
        ]
        indexes = [models.Index(fields=["status", "year", "number"], name="bulletin_archive_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == BulletinStatus.DRAFT

    @property
    def is_busy(self) -> bool:
        return self.job_state in BUSY_STATES

    @property
    def issue_label(self) -> str:
        from django.utils.translation import gettext

        if self.number is None:
            return gettext("Draft")
        return gettext("No. %(number)d") % {"number": self.number}

    @property
    def files_ready(self) -> bool:
        return bool(self.docx and self.pdf) and self.job_state == JobState.DONE


class MentionReason(models.TextChoices):
    LISTED = "listed", _("Has problems listed")
    GOOD = "good", _("Well rectified")
    POOR = "poor", _("Not rectified")
    STREET = "street", _("Street / township ranked")


class BulletinUnit(models.Model):
    """A unit named in a bulletin: its people see the bulletin once it is published and are
    notified then."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="mentions")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("named as"), max_length=10, choices=MentionReason.choices)

    scope_field = "unit"

    class Meta:
        verbose_name = _("unit named in a bulletin")
        verbose_name_plural = _("units named in bulletins")
        constraints = [models.UniqueConstraint(fields=["bulletin", "unit"], name="bulletin_unit_once")]
        indexes = [models.Index(fields=["unit", "bulletin"], name="bulletin_unit_idx")]

    def __str__(self) -> str:
        return f"{self.bulletin_id} · {self.unit_id}"
