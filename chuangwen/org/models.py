"""The organisation: the unit tree, people, and territorial responsibility (grids, roads, adoptions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.core.text import normalize_name


class UnitKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    STREET = "street", _("Street office")
    TOWNSHIP = "township", _("Township")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    DEPARTMENT = "department", _("Department / bureau")
    SECTION = "section", _("Section")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise / institution")
    OTHER = "other", _("Other")


class UnitQuerySet(models.QuerySet):
    def under(self, unit: Unit, include_self: bool = True) -> UnitQuerySet:
        """The unit's subtree, by materialised path (one indexed prefix match, no recursion)."""
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def find_by_name(self, name: str) -> Unit | None:
        """Resolve a name as written in a spreadsheet: full name, short name or a recorded alias."""
        key = normalize_name(name)
        if not key:
            return None
        hit = self.filter(models.Q(name_key=key) | models.Q(short_name_key=key)).first()
        if hit:
            return hit
        alias = UnitAlias.objects.filter(alias_key=key).select_related("unit").first()
        return alias.unit if alias else None


class Unit(models.Model):
    """A node of the unit tree: city, district, street, community, department, school…

    `path` is the materialised path of primary keys ("/1/7/42/"), so a subtree is one
    prefix query; scoping every page and API route relies on it.
    """

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name_key = models.CharField(max_length=120, db_index=True, editable=False, default="")
    short_name_key = models.CharField(max_length=60, db_index=True, editable=False, default="")
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    # The field through which the scoping helper limits this model ("" = the unit itself).
    scope_field = ""

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = normalize_name(self.name)
        self.short_name_key = normalize_name(self.short_name)
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            self.depth = path.count("/") - 2
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    def ancestors(self) -> models.QuerySet[Unit]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        return Unit.objects.filter(pk__in=ids).order_by("depth")

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class UnitAlias(models.Model):
    """Another way a unit is written in real spreadsheets (区文明办 / 文明办 / 区委宣传部文明办)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=120)
    alias_key = models.CharField(max_length=120, unique=True, editable=False)

    scope_field = "unit"

    class Meta:
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs) -> None:
        self.alias_key = normalize_name(self.alias)
        super().save(*args, **kwargs)


class Person(models.Model):
    """Someone who carries a responsibility; a person need not have a login."""

    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    position = models.CharField(_("position"), max_length=80, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name", "phone"], name="person_unique_in_unit"),
        ]
        indexes = [
            # Lists walk units in path order and take each unit's people in this order, so the
            # first page of 50,000 people is read from indexes without sorting them all.
            models.Index(fields=["unit", "name", "id"], name="person_unit_name_id"),
        ]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """A grid cell (网格) of a community or village, with its grid staff."""

    name = models.CharField(_("name"), max_length=80)
    code = models.CharField(_("code"), max_length=40, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="grids")
    polygon = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    staff = models.ManyToManyField(Person, verbose_name=_("grid staff"), blank=True, related_name="grids")

    scope_field = "unit"

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Road(models.Model):
    """A road under the road-chief system (路长制): a unit and a person answer for it."""

    name = models.CharField(_("name"), max_length=80)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="roads",
        help_text=_("The street or township the road lies in."),
    )
    chief_unit = models.ForeignKey(
        Unit,
        verbose_name=_("road-chief unit"),
        on_delete=models.PROTECT,
        related_name="chief_of_roads",
    )
    chief_person = models.ForeignKey(
        Person,
        verbose_name=_("road chief"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chief_of_roads",
    )
    length_m = models.PositiveIntegerField(_("length (m)"), null=True, blank=True)

    scope_field = ("unit", "chief_unit")

    class Meta:
        verbose_name = _("road")
        verbose_name_plural = _("roads")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoadSection(models.Model):
    """A stretch of a road with its own road chief, when a road is split between units."""

    road = models.ForeignKey(Road, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(_("name"), max_length=120)
    start = models.CharField(_("from"), max_length=80, blank=True)
    end = models.CharField(_("to"), max_length=80, blank=True)
    chief_unit = models.ForeignKey(
        Unit,
        verbose_name=_("road-chief unit"),
        on_delete=models.PROTECT,
        related_name="chief_of_sections",
    )
    chief_person = models.ForeignKey(
        Person,
        verbose_name=_("road chief"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chief_of_sections",
    )

    scope_field = ("road__unit", "chief_unit")

    class Meta:
        verbose_name = _("road section")
        verbose_name_plural = _("road sections")
        ordering = ["road", "id"]

    def __str__(self) -> str:
        return f"{self.road.name} {self.name}"


class AdoptionKind(models.TextChoices):
    UNIT_COMPOUND = "unit_compound", _("Unit adopts a compound (单位包小区)")
    CADRE_BUILDING = "cadre_building", _("Cadre adopts a building (干部包楼栋)")
    FRONTAGE = "frontage", _("Shop frontage responsibility (门前三包)")


class Adoption(models.Model):
    """A unit or cadre answering for a residential compound, a building or a frontage."""

    kind = models.CharField(_("kind"), max_length=20, choices=AdoptionKind.choices)
    target_name = models.CharField(_("compound / building"), max_length=120)
    target_unit = models.ForeignKey(
        Unit,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="adopted_targets",
    )
    adopter_unit = models.ForeignKey(
        Unit,
        verbose_name=_("adopting unit"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    adopter_person = models.ForeignKey(
        Person,
        verbose_name=_("adopting cadre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_field = ("target_unit", "adopter_unit")

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["target_unit__path", "target_name"]

    def __str__(self) -> str:
        return f"{self.adopter_unit} → {self.target_name}"
