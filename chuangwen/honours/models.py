"""Honours (五大创建 and 评选): titles held by units, villages, campuses and families with their
annual re-check (复查: 保留/警告/撤销), candidates for the next round, and the selection of 道德模范,
身边好人, 文明家庭 and 文明标兵: nomination → review → 公示 (public, with an objection period) →
award (recorded as an honour)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import Unit


class Kind(models.TextChoices):
    CIVILIZED_UNIT = "unit", _("Civilized unit (文明单位)")
    CIVILIZED_VILLAGE = "village", _("Civilized village or town (文明村镇)")
    CIVILIZED_CAMPUS = "campus", _("Civilized campus (文明校园)")
    CIVILIZED_FAMILY = "family", _("Civilized family (文明家庭)")
    MORAL_MODEL = "moral_model", _("Moral model (道德模范)")
    GOOD_PERSON = "good_person", _("Good person nearby (身边好人)")
    PACESETTER = "pacesetter", _("Civility pacesetter (文明标兵)")


SELECTION_KINDS = (Kind.MORAL_MODEL, Kind.GOOD_PERSON, Kind.CIVILIZED_FAMILY, Kind.PACESETTER)


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County or district")


class HonourStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate for the next round")
    HELD = "held", _("Held")
    WARNED = "warned", _("Held, warned at re-check")
    REVOKED = "revoked", _("Revoked")


class Honour(models.Model):
    """A title held (or a candidate for one). `unit` is the holder for unit titles, the unit the
    family or person belongs to otherwise (it sees the record)."""

    kind = models.CharField(_("title"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.COUNTY)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="honours")
    holder_name = models.CharField(_("holder"), max_length=120, blank=True)
    awarded_by = models.CharField(_("awarded by"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=HonourStatus.choices, default=HonourStatus.HELD
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    scope_field = "unit"

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "kind", "id"]
        indexes = [models.Index(fields=["kind", "status"], name="honour_kind_status")]

    def __str__(self) -> str:
        return f"{self.holder_name or self.unit.name} · {self.get_kind_display()} ({self.year})"


class Outcome(models.TextChoices):
    KEEP = "keep", _("Kept (保留)")
    WARN = "warn", _("Warned (警告)")
    REVOKE = "revoke", _("Revoked (撤销)")


OUTCOME_STATUS = {
    Outcome.KEEP: HonourStatus.HELD,
    Outcome.WARN: HonourStatus.WARNED,
    Outcome.REVOKE: HonourStatus.REVOKED,
}


class Recheck(models.Model):
    """The annual re-check (复查) of a title held."""

    honour = models.ForeignKey(Honour, on_delete=models.CASCADE, related_name="rechecks")
    year = models.PositiveSmallIntegerField(_("year"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    scope_field = "honour__unit"

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["honour", "year"], name="honour_recheck_once_a_year")]

    def __str__(self) -> str:
        return f"{self.honour_id} {self.year} {self.outcome}"


class SelectionStatus(models.TextChoices):
    OPEN = "open", _("Taking nominations")
    NOTICE = "notice", _("Public notice (公示)")
    CLOSED = "closed", _("Awarded")


class Selection(models.Model):
    """One round of 评选: nominations until a date, then the office's review and the 公示."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="selections")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    nominations_until = models.DateField(_("nominations until"))
    notice_from = models.DateField(_("public notice from"), null=True, blank=True)
    notice_until = models.DateField(_("objections until"), null=True, blank=True)
    objection_contact = models.CharField(_("where to send objections"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=SelectionStatus.choices, default=SelectionStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Nominated, awaiting review")
    APPROVED = "approved", _("Approved by the office")
    REJECTED = "rejected", _("Not approved")
    OBJECTED = "objected", _("Withdrawn after an objection")
    AWARDED = "awarded", _("Awarded")


class Nomination(models.Model):
    """A unit's nomination (推荐) with the nominee's story and photos."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominations")
    unit = models.ForeignKey(
        Unit, verbose_name=_("nominating unit"), on_delete=models.PROTECT, related_name="+"
    )
    nominee = models.CharField(_("nominee"), max_length=120)
    story = models.TextField(_("story (事迹)"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    honour = models.OneToOneField(
        Honour, null=True, blank=True, on_delete=models.SET_NULL, related_name="nomination"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    scope_field = "unit"

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["selection", "id"]

    def __str__(self) -> str:
        return self.nominee


class NominationPhoto(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="photos")
    name = models.CharField(max_length=120)
    file = models.FileField(upload_to="honours/%Y/", max_length=200)
    display = models.FileField(upload_to="honours/display/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64)

    scope_field = "nomination__unit"

    def __str__(self) -> str:
        return self.name
