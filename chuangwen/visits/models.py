"""入户走访: the 五长 of each grid with the households they cover (包户), visit rounds, and one
visit record per household and round."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StewardRole(models.TextChoices):
    AREA = "area", _("Area chief (片区长)")
    GRID = "grid", _("Grid chief (网格长)")
    BUILDING = "building", _("Building chief (楼栋长)")
    STAIRWAY = "stairway", _("Stairway chief (单元长)")
    CENTRAL = "central", _("Central household chief (中心户长)")


class Steward(models.Model):
    """One of the 五长 of a grid (a resident or cadre; a login is not needed)."""

    grid = models.ForeignKey(
        "org.Grid", verbose_name=_("grid"), on_delete=models.CASCADE, related_name="stewards"
    )
    role = models.CharField(_("role"), max_length=10, choices=StewardRole.choices)
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    scope_field = "grid__unit"

    class Meta:
        verbose_name = _("steward")
        verbose_name_plural = _("stewards")
        ordering = ["grid", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "role", "name", "phone"], name="visits_steward_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class Household(models.Model):
    """A household of a grid: building (free-text address), stairway unit and room."""

    grid = models.ForeignKey(
        "org.Grid", verbose_name=_("grid"), on_delete=models.CASCADE, related_name="households"
    )
    building = models.CharField(_("building"), max_length=80)
    stairway = models.CharField(_("stairway"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    head = models.CharField(_("head of household"), max_length=60, blank=True)
    steward = models.ForeignKey(
        Steward,
        verbose_name=_("covered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )

    scope_field = "grid__unit"

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["grid", "building", "stairway", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "building", "stairway", "room"], name="visits_household_once"
            )
        ]

    def __str__(self) -> str:
        return " ".join(p for p in (self.building, self.stairway, self.room) if p)


class VisitRound(models.Model):
    """A round of visits (e.g. 访千楼进万家): which grids (and optionally which buildings), by when."""

    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("due date"))
    grids = models.ManyToManyField("org.Grid", verbose_name=_("grids"), related_name="visit_rounds")
    buildings = models.TextField(
        _("buildings"), blank=True, help_text=_("One building per line; empty: every building of the grids.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    scope_field = "^unit"

    class Meta:
        verbose_name = _("visit round")
        verbose_name_plural = _("visit rounds")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.name

    def building_list(self) -> list[str]:
        return [b.strip() for b in self.buildings.splitlines() if b.strip()]


class Outcome(models.TextChoices):
    VISITED = "visited", _("Visited")
    NOT_HOME = "not_home", _("Not at home")
    REFUSED = "refused", _("Refused")


class Visit(models.Model):
    """What happened at one household in one round (the latest record counts)."""

    round = models.ForeignKey(
        VisitRound, verbose_name=_("visit round"), on_delete=models.CASCADE, related_name="visits"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="visits"
    )
    outcome = models.CharField(_("visit outcome"), max_length=10, choices=Outcome.choices)
    materials = models.CharField(_("materials handed out"), max_length=200, blank=True)
    opinions = models.TextField(_("opinions"), max_length=1000, blank=True)
    difficulties = models.TextField(_("difficulties"), max_length=1000, blank=True)
    photo = models.FileField(upload_to="visits/%Y/", max_length=200, blank=True)
    photo_display = models.FileField(upload_to="visits/display/%Y/", max_length=200, blank=True)
    problem = models.ForeignKey(
        "problems.Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now)
    client_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    scope_field = "household__grid__unit"

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="visits_visit_once"),
        ]
        indexes = [models.Index(fields=["visited_by", "client_key"], name="visits_client_key")]

    def __str__(self) -> str:
        return f"{self.household} {self.get_outcome_display()}"
