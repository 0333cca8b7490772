"""Users and the roles they hold in units."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The roles live in core (the layers below accounts check them too); imported from here as ever.
from chuangwen.core.roles import CAMPAIGN_WIDE_ROLES, Role  # noqa: F401


class User(AbstractUser):
    """A login. Roles come from memberships; `password_changed_at` drives optional expiry and
    `must_change_password` forces the owner to replace a password an administrator set."""

    phone = models.CharField(_("phone"), max_length=20, blank=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Set when somebody else chose the password (a new login, a reset): the owner must replace
    # it before doing anything else, so the admin who typed it never knows the working password.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs) -> None:
        # create_user() hashes the password without set_password(): stamp new logins here, or
        # the expiry policy would never reach them.
        if self._state.adding and self.password_changed_at is None:
            self.password_changed_at = timezone.now()
        super().save(*args, **kwargs)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def roles(self) -> frozenset[str]:
        """Roles held in any unit (from the per-request cached membership rows)."""
        return frozenset(role for role, _path in self.membership_rows())

    def membership_rows(self) -> list[tuple[str, str]]:
        """(role, unit path) of every membership: one query per request, shared by the role
        checks and the scoping helper (both run on every page)."""
        return [(role, path) for _unit, role, path, _depth in self.membership_units()]

    def membership_units(self) -> list[tuple[int, str, str, int]]:
        """(unit id, role, unit path, unit depth) of every membership, read once per request
        (the user object lives as long as the request)."""
        cached = self.__dict__.get("_membership_units")
        if cached is None:
            cached = list(self.memberships.values_list("unit_id", "role", "unit__path", "unit__depth"))
            self.__dict__["_membership_units"] = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        if self.is_superuser and Role.OFFICE_ADMIN in roles:
            return True
        return bool(self.roles.intersection(roles))

    @property
    def is_campaign_wide(self) -> bool:
        return self.is_superuser or bool(self.roles & CAMPAIGN_WIDE_ROLES)


class Membership(models.Model):
    """A user holding a role in a unit; the role reaches the unit and the units below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class Device(models.Model):
    """A phone (a browser profile) a person uses for offline field work: its id is made on the
    phone and sent with every queued entry (docs/offline.md). The office revokes a lost or
    stolen phone: its session ends and whatever it still has queued is refused."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(_("browser"), max_length=200, blank=True)
    session_key = models.CharField(max_length=40, blank=True)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_field = "unit"

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} · {self.key[:8]}"
