"""The 公益广告 inventory: each placement (where, on what, how big, which theme, whose, in what
condition), construction-site hoardings with their share of public-welfare content, and the
office's rules (the gap along main streets, the hoarding share, placements required per point
type)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import Road, Unit


class Carrier(models.TextChoices):
    HOARDING = "hoarding", _("Construction hoarding (围挡)")
    POLE_BANNER = "pole_banner", _("Lamp-post banner (灯杆道旗)")
    BUS_SHELTER = "bus_shelter", _("Bus shelter (公交站台)")
    SCREEN = "screen", _("Electronic screen (电子屏)")
    BOARD = "board", _("Notice board (宣传栏)")
    WALL = "wall", _("Wall painting (墙体)")
    BILLBOARD = "billboard", _("Billboard")
    OTHER = "other", _("Other")


class Theme(models.TextChoices):
    CORE_VALUES = "core_values", _("Core socialist values (核心价值观)")
    CIVILIZED_TRAFFIC = "traffic", _("Civilized traffic (文明交通)")
    NEW_ETHOS = "new_ethos", _("Civility and new ethos (讲文明树新风)")
    CIVILIZED_CITY = "city", _("Building a civilized city (创建文明城市)")
    GOOD_PEOPLE = "good_people", _("Moral models and good people")
    THRIFT = "thrift", _("Thrift, no food waste")
    ENVIRONMENT = "environment", _("Environment and waste sorting")
    VOLUNTEERING = "volunteering", _("Volunteering")
    OTHER = "other", _("Other")


class Condition(models.TextChoices):
    GOOD = "good", _("Intact (完好)")
    DAMAGED = "damaged", _("Damaged (破损)")
    FADED = "faded", _("Faded or dirty (褪色)")
    EXPIRED = "expired", _("Content out of date (过期)")


NEEDS_REPLACEMENT = (Condition.DAMAGED, Condition.FADED, Condition.EXPIRED)


class Site(models.Model):
    """A construction site whose hoarding must carry a share of public-welfare content."""

    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    hoarding_length_m = models.PositiveIntegerField(_("hoarding length (m)"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    scope_field = "owner_unit"

    class Meta:
        verbose_name = _("construction site")
        verbose_name_plural = _("construction sites")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """One public-welfare advertisement where it stands. `road_position_m` is its chainage along
    its road's line, kept when it is saved (the gap check recomputes it from the position)."""

    carrier = models.CharField(_("carrier"), max_length=20, choices=Carrier.choices)
    theme = models.CharField(_("content theme"), max_length=20, choices=Theme.choices)
    title = models.CharField(_("content"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True)
    lng = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True)
    road = models.ForeignKey(
        Road,
        verbose_name=_("road"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    road_position_m = models.FloatField(_("position along the road (m)"), null=True, blank=True)
    point = models.ForeignKey(
        "points.Point",
        verbose_name=_("point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("construction site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    width_m = models.DecimalField(_("width (m)"), max_digits=6, decimal_places=2, null=True, blank=True)
    height_m = models.DecimalField(_("height (m)"), max_digits=6, decimal_places=2, null=True, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    content_until = models.DateField(
        _("content valid until"),
        null=True,
        blank=True,
        help_text=_("The end of the campaign the content belongs to."),
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+"
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    problem = models.ForeignKey(
        "problems.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "owner_unit"

    class Meta:
        verbose_name = _("public-welfare ad placement")
        verbose_name_plural = _("public-welfare ad placements")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["road", "road_position_m"], name="placement_road_position"),
            models.Index(fields=["owner_unit", "condition"], name="placement_owner_condition"),
            models.Index(fields=["condition", "content_until"], name="placement_due"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_carrier_display()} #{self.pk}"

    def due_reason(self, today: dt.date | None = None) -> str:
        """Why the placement must be replaced (empty when it need not)."""
        today = today or timezone.localdate()
        if self.condition in NEEDS_REPLACEMENT:
            return str(self.get_condition_display())
        if self.content_until and self.content_until < today:
            return str(_("content past its campaign"))
        return ""

    @property
    def area_m2(self):
        if self.width_m and self.height_m:
            return self.width_m * self.height_m
        return None


class PlacementPhoto(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="photos")
    name = models.CharField(max_length=120)
    file = models.FileField(upload_to="placements/%Y/", max_length=200)
    display = models.FileField(upload_to="placements/display/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_key = models.CharField(max_length=80, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "placement__owner_unit"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "client_key"], name="placement_photo_client_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlacementRules(models.Model):
    """The office's figures (seed 002/004: one every 500 m on commercial and main streets; the
    hoarding share is local, often 30–40 %)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="placement_rules")
    max_gap_m = models.PositiveIntegerField(_("longest stretch without a placement (m)"), default=500)
    hoarding_share_pct = models.PositiveSmallIntegerField(
        _("public-welfare share of a hoarding (%)"), default=30
    )
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "^campaign__root_unit"

    def __str__(self) -> str:
        return str(self.campaign)


class Requirement(models.Model):
    """How many placements a point of a type must have (a 宣传栏 at each community, …)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="placement_requirements")
    point_type = models.ForeignKey(
        "points.PointType", verbose_name=_("point type"), on_delete=models.CASCADE, related_name="+"
    )
    minimum = models.PositiveSmallIntegerField(_("placements required"), default=1)

    scope_field = "^campaign__root_unit"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "point_type"], name="placement_requirement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.point_type}: {self.minimum}"
