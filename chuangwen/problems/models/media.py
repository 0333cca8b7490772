"""Photos of a problem, the public intake's throttle records, Open311 clients, notices and cards."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.problems.models.problem import Problem, Source


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After rectification")
    VERIFY = "verify", _("Verification on site")


class ProblemPhoto(models.Model):
    """A photo as uploaded (`original`, never altered) and a re-encoded copy for display.

    `round` is the problem's rework count when the photo was added, so a resubmission after a
    failed verification must bring new after-photos.
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices)
    round = models.PositiveSmallIntegerField(default=0)
    original = models.FileField(_("original"), upload_to="problems/original/%Y/%m/", max_length=200)
    display = models.FileField(_("display copy"), upload_to="problems/display/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=40)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    taken_at = models.DateTimeField(_("taken at (EXIF)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = ("problem__unit", "problem__verify_unit", "problem__reporter_unit")

    class Meta:
        verbose_name = _("problem photo")
        verbose_name_plural = _("problem photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.problem_id} {self.get_kind_display()}"


class PublicSubmission(models.Model):
    """One attempt on the public report page, kept to rate-limit by address and by device.

    Stored in the database (not in process memory) so the limit holds across web processes.
    """

    ip = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["ip", "created_at"], name="public_sub_ip_idx"),
            models.Index(fields=["device", "created_at"], name="public_sub_device_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ip} {self.created_at:%Y-%m-%d %H:%M}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Open311Client(models.Model):
    """A system allowed to POST service requests to the Open311 endpoint (with its api_key).

    Only the SHA-256 of the key is kept; the key is shown once when it is created
    (`chuangwen open311-key NAME`).
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    key_prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    source = models.CharField(
        _("source of its requests"), max_length=20, choices=Source.choices, default=Source.CITIZEN
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def create_with_key(cls, name: str, source: str = Source.CITIZEN) -> tuple[Open311Client, str]:
        key = secrets.token_urlsafe(24)
        client = cls.objects.create(name=name, key_prefix=key[:8], key_hash=hash_key(key), source=source)
        return client, key

    @classmethod
    def for_key(cls, key: str) -> Open311Client | None:
        if not key:
            return None
        return cls.objects.filter(key_hash=hash_key(key), is_active=True).first()


class SupervisionNotice(models.Model):
    """A 督办通知书 sent to a unit about an overdue problem, with the generated .docx."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="notices")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    overdue_hours = models.FloatField(_("overdue (working hours)"), default=0)
    document = models.FileField(_("document"), upload_to="problems/notices/%Y/", max_length=200, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number


class CardColor(models.TextChoices):
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class CardReason(models.TextChoices):
    OVERDUE = "overdue", _("Long overdue")
    REPEATED = "repeated", _("Repeatedly overdue")


class UnitCard(models.Model):
    """A yellow or red card recorded against a unit (红黄牌), for a problem or for repetition.

    Kept in problems until a scoring app takes over accountability records.
    """

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    # Two campaigns over one territory (a city one and a 文明村镇 one, this year and next) keep
    # their cards apart: the monthly assessment of one never counts the other's.
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="unit_cards",
    )
    color = models.CharField(_("card"), max_length=10, choices=CardColor.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=CardReason.choices)
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("unit card")
        verbose_name_plural = _("unit cards")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # One card of each colour per problem: the periodic job may run any number of times.
            models.UniqueConstraint(
                fields=["problem", "color"], condition=models.Q(problem__isnull=False), name="unit_card_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_color_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.campaign_id is None and self.unit_id is not None:
            from chuangwen.campaigns.models import Campaign

            self.campaign = Campaign.objects.covering(self.unit)
        super().save(*args, **kwargs)
