"""Volunteers: teams under units, volunteers, service activities and the service records
that sign-in and sign-out produce (hours confirmed by the organiser), star levels by hours."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangwen.core import geo

# The national scale of star volunteers (全国志愿服务信息系统): cumulative hours for 1★..5★.
STAR_HOURS: tuple[int, ...] = (100, 300, 600, 1000, 1500)


def star_level(hours: Decimal | float | int) -> int:
    """0..5 stars for the cumulative service hours (1★ 100 h … 5★ 1,500 h)."""
    return sum(1 for threshold in STAR_HOURS if hours >= threshold)


def hours_to_next_star(hours: Decimal | float | int) -> Decimal | None:
    """Hours still needed for the next star; None at five stars."""
    for threshold in STAR_HOURS:
        if hours < threshold:
            return Decimal(threshold) - Decimal(str(hours))
    return None


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")
    UNKNOWN = "", _("Not given")


class Team(models.Model):
    """A volunteer team (志愿服务队) under a unit: a community, a school, a department, a company."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="volunteer_teams"
    )
    name = models.CharField(_("name"), max_length=120)
    leader = models.ForeignKey(
        "Volunteer",
        verbose_name=_("team leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="volunteer_team_unique_in_unit")]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A registered volunteer of a unit. `total_hours` is the imported hours plus every
    confirmed service record (kept by services.confirm_hours, so the star level needs no sum)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="volunteers"
    )
    name = models.CharField(_("name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    code = models.CharField(_("volunteer number"), max_length=40, blank=True)
    id_number_enc = models.TextField(_("ID number (encrypted)"), blank=True, default="", editable=False)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="members")
    imported_hours = models.DecimalField(
        _("hours recorded before"),
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        help_text=_("Service hours brought from the national volunteer-service system."),
    )
    total_hours = models.DecimalField(
        _("service hours"), max_digits=8, decimal_places=1, default=Decimal("0"), editable=False
    )
    registered_on = models.DateField(_("registered on"), default=dt.date.today)
    is_active = models.BooleanField(_("active"), default=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["unit__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="volunteer_code_unique"),
            models.UniqueConstraint(fields=["unit", "phone"], name="volunteer_phone_unique_in_unit"),
        ]
        indexes = [models.Index(fields=["unit", "name", "id"], name="volunteer_unit_name_id")]

    def __str__(self) -> str:
        return self.name

    @property
    def stars(self) -> int:
        return star_level(self.total_hours)

    @property
    def id_number(self) -> str:
        from chuangwen.volunteers.crypto import decrypt

        return decrypt(self.id_number_enc)

    def set_id_number(self, number: str) -> None:
        from chuangwen.volunteers.crypto import encrypt

        self.id_number_enc = encrypt(number.strip().upper())


class Category(models.TextChoices):
    PERSUASION = "persuasion", _("Civility persuasion")
    CLEANING = "cleaning", _("Environment cleaning")
    CARE = "care", _("Care and help")
    PUBLICITY = "publicity", _("Publicity")
    TRAFFIC = "traffic", _("Traffic persuasion")
    OTHER = "other", _("Other service")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("Recruiting")
    CLOSED = "closed", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


def _token() -> str:
    return secrets.token_urlsafe(16)


class Activity(models.Model):
    """A service activity (志愿服务项目/活动) organised by a unit: place, time, a recruitment
    limit, and a QR token volunteers scan to sign in and out on their phone."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="volunteer_activities"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    point = models.ForeignKey(
        "points.Point",
        verbose_name=_("point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_activities",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("sign-in radius (m)"), default=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("recruitment limit"), default=0, help_text=_("0 = no limit"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN
    )
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    # The material submission this activity was filed as (filing.file_as_evidence).
    submission = models.ForeignKey(
        "materials.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["unit", "starts_at"], name="vol_activity_unit_start")]

    def __str__(self) -> str:
        return self.title

    def position(self) -> tuple[float, float] | None:
        if self.lat is not None and self.lng is not None:
            return self.lat, self.lng
        if self.point_id and self.point.lat is not None and self.point.lng is not None:
            return self.point.lat, self.point.lng
        return None

    def distance_to(self, lat: float, lng: float) -> float | None:
        here = self.position()
        return None if here is None else geo.haversine_m(here[0], here[1], lat, lng)

    @property
    def place(self) -> str:
        return self.point.name if self.point_id else self.address


class RecordStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    SIGNED_IN = "signed_in", _("Signed in")
    SIGNED_OUT = "signed_out", _("Signed out, awaiting confirmation")
    CONFIRMED = "confirmed", _("Hours confirmed")
    REJECTED = "rejected", _("Not counted")


class ServiceRecord(models.Model):
    """One volunteer at one activity: sign-up, sign-in and sign-out with GPS, the hours.

    `volunteer_unit` and `day` are copied from the volunteer and the sign-in so a unit's
    figures over millions of records read one indexed table without joins."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="records")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="records")
    volunteer_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=RecordStatus.choices, default=RecordStatus.SIGNED_UP)
    signed_up_at = models.DateTimeField(auto_now_add=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    signed_out_at = models.DateTimeField(null=True, blank=True)
    day = models.DateField(null=True, blank=True)
    in_lat = models.FloatField(null=True, blank=True)
    in_lng = models.FloatField(null=True, blank=True)
    in_distance_m = models.FloatField(null=True, blank=True)
    in_outside = models.BooleanField(default=False)
    out_lat = models.FloatField(null=True, blank=True)
    out_lng = models.FloatField(null=True, blank=True)
    out_distance_m = models.FloatField(null=True, blank=True)
    out_outside = models.BooleanField(default=False)
    computed_hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    # Visible to the organiser's units and to the volunteer's.
    scope_field = ("activity__unit", "volunteer_unit")

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="service_record_once"),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status", "day"], name="service_volunteer_status_day"),
            models.Index(fields=["volunteer_unit", "status", "day"], name="service_unit_status_day"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.activity}"


class UnitPopulation(models.Model):
    """A unit's resident population, for the registered-volunteer ratio of the evaluation system."""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="volunteer_population")
    population = models.PositiveIntegerField(_("resident population"))

    scope_field = "unit"

    class Meta:
        verbose_name = _("resident population")
        verbose_name_plural = _("resident populations")

    def __str__(self) -> str:
        return f"{self.unit}: {self.population}"


class CommendationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    APPROVED = "approved", _("Approved by the office")
    REJECTED = "rejected", _("Not approved")
    PUBLISHED = "published", _("Published")


class Commendation(models.Model):
    """A nomination of a 文明志愿者 (or an outstanding team) of a year: nominated by a unit from
    the figures, reviewed by the office, published with the year's list."""

    year = models.PositiveSmallIntegerField(_("year"))
    volunteer = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.CASCADE, related_name="commendations"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="commendations"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("hours in the year"), max_digits=8, decimal_places=1, default=Decimal("0"))
    activities = models.PositiveIntegerField(_("activities in the year"), default=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CommendationStatus.choices, default=CommendationStatus.NOMINATED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "status", "-hours", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "volunteer"],
                condition=Q(volunteer__isnull=False),
                name="commend_volunteer_once",
            ),
            models.UniqueConstraint(
                fields=["year", "team"], condition=Q(team__isnull=False), name="commend_team_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.volunteer or self.team)

    @property
    def nominee(self) -> str:
        return self.volunteer.name if self.volunteer_id else self.team.name
