"""Street-front shops and units (沿街商户/单位) under 门前三包, their 责任书 (pledges), photos,
rectification notices (整改通知书), the office's thresholds, and road lines for walk order."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import Grid, Road, Unit


class Category(models.TextChoices):
    """What the shop is; the 六小行业 come first (they need licences checked)."""

    SMALL_CATERING = "small_catering", _("Small eatery (小餐饮)")
    SMALL_GROCERY = "small_grocery", _("Small grocery (小食杂)")
    SMALL_BEAUTY = "small_beauty", _("Small hair and beauty salon (小美容美发)")
    SMALL_BATH = "small_bath", _("Small bathhouse (小浴室)")
    SMALL_HOTEL = "small_hotel", _("Small hotel (小旅馆)")
    SMALL_INTERNET = "small_internet", _("Small internet cafe (小网吧)")
    RETAIL = "retail", _("Retail shop")
    CATERING = "catering", _("Restaurant")
    SERVICE = "service", _("Services")
    INSTITUTION = "institution", _("Street-front unit (organ, enterprise, institution)")
    OTHER = "other", _("Other")


SIX_SMALL = (
    Category.SMALL_CATERING,
    Category.SMALL_GROCERY,
    Category.SMALL_BEAUTY,
    Category.SMALL_BATH,
    Category.SMALL_HOTEL,
    Category.SMALL_INTERNET,
)
# A food licence (食品经营许可) is needed by the shops that sell food.
FOOD_CATEGORIES = (Category.SMALL_CATERING, Category.SMALL_GROCERY, Category.CATERING)


class Duty(models.TextChoices):
    """The duties of 门前三包 (the first three) and of 五包 where a city adds two."""

    APPEARANCE = "appearance", _("City appearance (市容)")
    SANITATION = "sanitation", _("Environmental sanitation (环境卫生)")
    ORDER = "order", _("Order (秩序)")
    GREENERY = "greenery", _("Greenery (绿化)")
    FACILITIES = "facilities", _("Public facilities (设施)")


THREE_DUTIES = [Duty.APPEARANCE, Duty.SANITATION, Duty.ORDER]
# What each duty asks of the shop: the checklist of the road walk and the text of the pledge.
DUTY_CHECKS = {
    Duty.APPEARANCE: _("No goods or signs outside the door, no illegal advertisements, facade clean"),
    Duty.SANITATION: _("Frontage swept, no litter or stains, waste in closed bins"),
    Duty.ORDER: _("No business on the pavement, vehicles parked in order, no noise"),
    Duty.GREENERY: _("Trees and green belts in front protected, no damage"),
    Duty.FACILITIES: _("Public facilities in front intact, damage reported"),
}


class ShopQuerySet(models.QuerySet):
    def in_walk_order(self) -> ShopQuerySet:
        return self.order_by("road_id", models.F("road_position_m").asc(nulls_last=True), "walk_order", "id")


class Shop(models.Model):
    """A street-front shop or unit. `unit` is its 包保 unit (the grid's community or the road
    chief's unit): it sees the shop and answers for problems found there. `version` grows at
    every change so a stale edit from a phone is refused."""

    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True)
    lng = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True)
    road = models.ForeignKey(
        Road, verbose_name=_("road"), null=True, blank=True, on_delete=models.SET_NULL, related_name="shops"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="shops"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="shops"
    )
    road_position_m = models.FloatField(_("position along the road (m)"), null=True, blank=True)
    walk_order = models.PositiveIntegerField(_("order along the road"), default=0)
    licence_no = models.CharField(_("business licence number"), max_length=40, blank=True)
    licence_seen = models.BooleanField(_("business licence seen"), default=False)
    licence_expiry = models.DateField(_("business licence expires"), null=True, blank=True)
    food_licence_seen = models.BooleanField(_("food business licence seen"), default=False)
    food_licence_expiry = models.DateField(_("food business licence expires"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    duties = models.JSONField(_("duties"), default=list, blank=True)
    pledge_no = models.CharField(_("pledge number"), max_length=40, null=True, blank=True, unique=True)
    pledge_signed_on = models.DateField(_("pledge signed on"), null=True, blank=True)
    pledge_scan = models.FileField(upload_to="shops/pledges/%Y/", max_length=200, blank=True, editable=False)
    pledge_scan_type = models.CharField(max_length=80, blank=True, editable=False)
    exposed_at = models.DateTimeField(_("exposed on"), null=True, blank=True)
    exposure_reason = models.CharField(_("reason for exposure"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShopQuerySet.as_manager()
    scope_field = "unit"

    class Meta:
        verbose_name = _("street-front shop")
        verbose_name_plural = _("street-front shops")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["grid", "name"], name="shop_grid_name"),
            models.Index(fields=["unit", "name"], name="shop_unit_name"),
            models.Index(fields=["road", "road_position_m"], name="shop_road_position"),
            models.Index(fields=["lat", "lng"], name="shop_lat_lng"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_six_small(self) -> bool:
        return self.category in SIX_SMALL

    @property
    def needs_food_licence(self) -> bool:
        return self.category in FOOD_CATEGORIES

    def duty_list(self) -> list[str]:
        return [d for d in (self.duties or THREE_DUTIES) if d in Duty.values]

    def duty_labels(self) -> list[str]:
        return [str(Duty(d).label) for d in self.duty_list()]

    def licence_problems(self, today: dt.date | None = None) -> list[str]:
        """What is wrong with the licences today (empty when in order)."""
        today = today or timezone.localdate()
        found: list[str] = []
        if not self.licence_seen:
            found.append(str(_("business licence not seen")))
        elif self.licence_expiry and self.licence_expiry < today:
            found.append(str(_("business licence expired")))
        if self.needs_food_licence:
            if not self.food_licence_seen:
                found.append(str(_("food business licence not seen")))
            elif self.food_licence_expiry and self.food_licence_expiry < today:
                found.append(str(_("food business licence expired")))
        return found

    @property
    def pledge_signed(self) -> bool:
        return bool(self.pledge_signed_on and self.pledge_scan)


class ShopPhoto(models.Model):
    """A photo of the shop's frontage, taken by grid staff."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="photos")
    name = models.CharField(max_length=120)
    file = models.FileField(upload_to="shops/%Y/", max_length=200)
    display = models.FileField(upload_to="shops/display/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_key = models.CharField(max_length=80, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "shop__unit"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "client_key"], name="shop_photo_client_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ShopRules(models.Model):
    """The office's thresholds: how many problems at one shop within the window raise a
    整改通知书, and after how many notices in the window the shop goes on the exposure list."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="shop_rules")
    notice_after = models.PositiveSmallIntegerField(
        _("problems that raise a rectification notice"), default=3
    )
    window_days = models.PositiveSmallIntegerField(_("counted over the last (days)"), default=90)
    expose_after = models.PositiveSmallIntegerField(
        _("notices that put a shop on the exposure list"), default=2
    )
    five_duties = models.BooleanField(_("five duties (五包) instead of three"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("frontage rules")
        verbose_name_plural = _("frontage rules")

    def __str__(self) -> str:
        return str(self.campaign)


class Notice(models.Model):
    """A rectification notice (整改通知书) issued to a shop for repeated problems."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="notices")
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    problem_ids = models.JSONField(default=list)
    reason = models.CharField(_("reason"), max_length=300)
    deadline = models.DateField(_("rectify by"))

    scope_field = "shop__unit"

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number


class RoadLine(models.Model):
    """A road's centre line (GeoJSON LineString, WGS-84 [lng, lat]) and its length: shops are
    walked in order along it and public-welfare ads are checked for gaps along it."""

    road = models.OneToOneField(Road, on_delete=models.CASCADE, related_name="line")
    coordinates = models.JSONField(_("line (GeoJSON coordinates)"))
    length_m = models.FloatField(_("length (m)"))
    is_main = models.BooleanField(_("main or commercial street"), default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = ("road__unit", "road__chief_unit")

    class Meta:
        verbose_name = _("road line")
        verbose_name_plural = _("road lines")

    def __str__(self) -> str:
        return str(self.road)
