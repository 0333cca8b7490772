"""新时代文明实践 activity ledgers (活动记录), kept point by point, and the 阵地建设 standard of
each point as a checklist. Inspectors expect "完整详细的活动记录和工作台账…一个点一个点地过"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    THEORY = "theory", _("Theory lecture (理论宣讲)")
    HISTORY = "history", _("Four histories study (四史学习)")
    MORALITY = "morality", _("Moral lecture hall (道德讲堂)")
    PARENTS = "parents", _("Parents' school (家长学校)")
    CULTURE = "culture", _("Culture and arts")
    SCIENCE = "science", _("Popular science")
    VOLUNTEER = "volunteer", _("Volunteer service")
    OTHER = "other", _("Other")


# The 阵地建设 standard ("七有", service staff, at least three services) as checklist items; the
# labels are what the point's page and the printed ledger show.
STANDARD_ITEMS: tuple[tuple[str, str], ...] = (
    ("place", _("A fixed place (有场所)")),
    ("team", _("A volunteer team (有队伍)")),
    ("activities", _("Regular activities (有活动)")),
    ("rules", _("Rules on the wall (有制度)")),
    ("signs", _("Signs and identity (有标识)")),
    ("ledger", _("An activity ledger (有台账)")),
    ("results", _("Results shown (有成效)")),
    ("staff", _("Service staff on duty")),
    ("services", _("At least three services offered")),
)


class LedgerEntry(models.Model):
    """One activity held at a point: date, theme, organiser, participants, a short record."""

    point = models.ForeignKey(
        "points.Point", verbose_name=_("point"), on_delete=models.CASCADE, related_name="practice_entries"
    )
    date = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=12, choices=Theme.choices)
    title = models.CharField(_("title"), max_length=120)
    organiser = models.CharField(_("organiser"), max_length=120)
    participants = models.PositiveIntegerField(_("participants"))
    attendees = models.TextField(
        _("who took part"),
        blank=True,
        help_text=_("Names, when they signed in (filled from a volunteer activity)."),
    )
    record = models.TextField(_("record"), max_length=1000, blank=True)
    activity = models.ForeignKey(
        "volunteers.Activity",
        verbose_name=_("volunteer activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    client_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    scope_field = "point__unit"

    class Meta:
        verbose_name = _("activity ledger entry")
        verbose_name_plural = _("activity ledger entries")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["point", "date"], name="practice_point_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_key"],
                condition=~models.Q(client_key=""),
                name="practice_entry_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class LedgerPhoto(models.Model):
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="practice/%Y/", max_length=200)
    display = models.FileField(upload_to="practice/display/%Y/", max_length=200, blank=True)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    scope_field = "entry__point__unit"

    class Meta:
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return self.name


class StandardCheck(models.Model):
    """Whether a point meets one item of the 阵地建设 standard, with a note, as last checked."""

    point = models.ForeignKey("points.Point", on_delete=models.CASCADE, related_name="practice_standards")
    item = models.CharField(max_length=20)
    met = models.BooleanField(default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    scope_field = "point__unit"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["point", "item"], name="practice_standard_once")]

    def __str__(self) -> str:
        return f"{self.point_id}:{self.item}"
