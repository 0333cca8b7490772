"""Field points (实地考察点位) and the photo fields shared by every photo the apps keep."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.core import geo

DEFAULT_RADIUS_M = 200
# Colour bands of a point's latest score rate on the map and in lists.
GOOD_RATE = 90.0
FAIR_RATE = 75.0


class Datum(models.TextChoices):
    WGS84 = geo.WGS84, _("WGS-84 (GPS)")
    GCJ02 = geo.GCJ02, _("GCJ-02 (Amap, Tencent maps)")
    BD09 = geo.BD09, _("BD-09 (Baidu maps)")


class Point(models.Model):
    """A place inspected and staffed: a road, a market, a compound, an intersection…

    The position is stored as WGS-84; when it was entered in a Chinese map app's datum, the
    figures as entered and their datum are kept beside it (`input_*`). `last_*` fields are
    written by the inspections app after each scored visit, so the map needs no joins.
    """

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=40, blank=True)
    point_type = models.ForeignKey(
        "points.PointType", verbose_name=_("point type"), on_delete=models.PROTECT, related_name="points"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    input_datum = models.CharField(
        _("coordinate system entered"), max_length=8, choices=Datum.choices, default=Datum.WGS84
    )
    input_lat = models.FloatField(_("latitude as entered"), null=True, blank=True)
    input_lng = models.FloatField(_("longitude as entered"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(
        _("check-in radius (m)"),
        default=DEFAULT_RADIUS_M,
        help_text=_("Check-ins farther than this are flagged."),
    )
    grid = models.ForeignKey(
        "org.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="points",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="points"
    )
    leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_points",
    )
    leader_name = models.CharField(_("responsible leader (as written)"), max_length=60, blank=True)
    cadre = models.ForeignKey(
        "org.Person",
        verbose_name=_("responsible cadre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre_points",
    )
    cadre_name = models.CharField(_("responsible cadre (as written)"), max_length=60, blank=True)
    is_key = models.BooleanField(_("key point"), default=False)
    is_fixed = models.BooleanField(
        _("fixed point"), default=False, help_text=_("Reported to the evaluators.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    last_score = models.FloatField(_("latest score rate (%)"), null=True, blank=True, editable=False)
    last_failed = models.PositiveSmallIntegerField(_("failed items"), null=True, blank=True, editable=False)
    last_inspected_at = models.DateTimeField(_("last inspected"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit"
    # A working group owns the points of its units (campaigns.groups.owned_by).
    group_unit_field = "unit"

    class Meta:
        verbose_name = _("point")
        verbose_name_plural = _("points")
        ordering = ["unit__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="point_code_unique"),
        ]
        indexes = [models.Index(fields=["is_active", "point_type"], name="point_active_type")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lng is not None

    def distance_to(self, lat: float, lng: float) -> float | None:
        if not self.has_location:
            return None
        return geo.haversine_m(self.lat, self.lng, lat, lng)

    def set_location(self, lat: float | None, lng: float | None, datum: str = geo.WGS84) -> None:
        """Store a position entered in any supported datum as WGS-84, remembering the input."""
        if lat is None or lng is None:
            self.lat = self.lng = self.input_lat = self.input_lng = None
            self.input_datum = geo.WGS84
            return
        self.input_lat, self.input_lng, self.input_datum = lat, lng, datum
        wgs_lat, wgs_lng = geo.to_wgs84(lat, lng, datum)
        self.lat, self.lng = round(wgs_lat, 7), round(wgs_lng, 7)

    @property
    def status(self) -> str:
        """none / good / fair / poor: the colour of the latest result."""
        return status_of(self.last_score, self.last_failed)


def status_of(score: float | None, failed: int | None) -> str:
    if score is None:
        return "none"
    if not failed or score >= GOOD_RATE:
        return "good"
    return "fair" if score >= FAIR_RATE else "poor"


def _photo_path(kind: str, instance: models.Model, filename: str) -> str:
    # Never the client's file name: a random one, grouped by app and month.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"{instance._meta.app_label}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{kind}.{ext}"


def original_path(instance: models.Model, filename: str) -> str:
    return _photo_path("", instance, filename)


def display_path(instance: models.Model, filename: str) -> str:
    return _photo_path("-d", instance, filename)


class PhotoFields(models.Model):
    """A photo as uploaded (kept untouched, as evidence) and its re-encoded display copy."""

    original = models.FileField(_("original"), upload_to=original_path, max_length=200)
    display = models.FileField(_("display copy"), upload_to=display_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    client_key = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    # Photos are evidence: they are served by views that check scope, never from /media/.
