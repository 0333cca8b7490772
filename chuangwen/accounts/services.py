"""State changes of logins and memberships, each in one transaction with an audit entry.

Every function takes the acting user and checks that it may act (accounts.permissions), even
though the views check first: a service is also called from the API and from scripts.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangwen.accounts import otp
from chuangwen.accounts.models import Membership, Role, User
from chuangwen.accounts.permissions import can_grant, can_manage_user, is_office
from chuangwen.accounts.security import generate_password
from chuangwen.audit.services import log_action
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Person, Unit


def _locked_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _require_manage(actor: Any, target: User) -> None:
    if not can_manage_user(actor, target):
        raise PermissionDenied(_("You may not manage this login."))


def _require_grant(actor: Any, unit: Unit, role: str) -> None:
    if not can_grant(actor, unit, role):
        raise PermissionDenied(_("You may not grant this role in this unit."))


@transaction.atomic
def create_login(
    actor: Any,
    *,
    username: str,
    unit: Unit,
    role: str,
    display_name: str = "",
    phone: str = "",
    email: str = "",
    person: Person | None = None,
    password: str = "",
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """Create a login holding `role` in `unit`, optionally for an existing person.

    The initial password (typed by the admin, or generated when blank) must be replaced at
    first sign-in. Returns the user and the initial password, which is shown once and never
    stored in clear.
    """
    _require_grant(actor, unit, role)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(name)s is taken.") % {"name": username})
    if person is not None:
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id is not None:
            raise DomainError(_("%(name)s already has a login.") % {"name": person.name})
        display_name = display_name or person.name
        phone = phone or person.phone
    user = User(username=username, display_name=display_name, phone=phone, email=email)
    password = password or generate_password()
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise DomainError(_("The username %(name)s is taken.") % {"name": username}) from exc
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    log_action(
        actor,
        "accounts.user.create",
        user,
        {
            "username": username,
            "display_name": display_name,
            "phone": phone,
            "person": person.pk if person else None,
            "membership": str(membership),
        },
        request=request,
    )
    return user, password


@transaction.atomic
def add_membership(
    actor: Any, user: User, unit: Unit, role: str, request: HttpRequest | None = None
) -> Membership:
    """Give the user `role` in `unit`."""
    user = _locked_user(user)
    if user.pk == getattr(actor, "pk", None):
        raise PermissionDenied(_("You cannot change your own roles."))
    if not is_office(actor):
        # A unit admin must not add roles to, e.g., an office admin who is also its liaison.
        _require_manage(actor, user)
    _require_grant(actor, unit, role)
    if Membership.objects.filter(user=user, unit=unit, role=role).exists():
        raise DomainError(_("%(user)s is already %(role)s in %(unit)s.") % _names(user, unit, role))
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    log_action(
        actor,
        "accounts.membership.add",
        user,
        {"unit": unit.name, "unit_id": unit.pk, "role": role},
        request=request,
    )
    return membership


@transaction.atomic
def remove_membership(actor: Any, membership: Membership, request: HttpRequest | None = None) -> None:
    """Take a role in a unit back from a login (the login itself stays)."""
    membership = Membership.objects.select_for_update().select_related("user", "unit").get(pk=membership.pk)
    if membership.user_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("You cannot change your own roles."))
    _require_grant(actor, membership.unit, membership.role)
    user, unit, role = membership.user, membership.unit, membership.role
    membership.delete()
    log_action(
        actor,
        "accounts.membership.remove",
        user,
        {"unit": unit.name, "unit_id": unit.pk, "role": role},
        request=request,
    )


@transaction.atomic
def reset_password(actor: Any, user: User, request: HttpRequest | None = None) -> str:
    """Give the login a new temporary password (shown once), to be replaced at next sign-in.

    Also lifts a sign-in lock: the person calling for a reset is usually the one locked out.
    Existing sessions of the login end, since Django ties them to the password hash.
    """
    user = _locked_user(user)
    _require_manage(actor, user)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    unlocked = axes_reset(username=user.username)
    log_action(actor, "accounts.user.password_reset", user, {"unlocked": unlocked}, request=request)
    return password


@transaction.atomic
def unlock(actor: Any, user: User, request: HttpRequest | None = None) -> int:
    """Lift the sign-in lock django-axes put on the username (from every address)."""
    user = _locked_user(user)
    _require_manage(actor, user)
    removed = axes_reset(username=user.username)
    log_action(actor, "accounts.user.unlock", user, {"attempts_cleared": removed}, request=request)
    return removed


@transaction.atomic
def set_active(actor: Any, user: User, active: bool, request: HttpRequest | None = None) -> User:
    """Deactivate a login (it can no longer sign in, its sessions stop working, it sees
    nothing) or activate it again. Logins are never deleted: the audit log names them."""
    user = _locked_user(user)
    _require_manage(actor, user)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_action(
        actor,
        "accounts.user.activate" if active else "accounts.user.deactivate",
        user,
        {"is_active": [not active, active]},
        request=request,
    )
    return user


@transaction.atomic
def reset_otp(actor: Any, user: User, request: HttpRequest | None = None) -> int:
    """Remove the login's authenticator (a lost phone); it can enrol a new one after sign-in."""
    user = _locked_user(user)
    _require_manage(actor, user)
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    log_action(actor, "accounts.user.otp_reset", user, {"devices_removed": removed}, request=request)
    return removed


@transaction.atomic
def change_own_password(form: PasswordChangeForm, request: HttpRequest | None = None) -> User:
    """Save the user's new password (a valid PasswordChangeForm) and lift the forced change."""
    user = _locked_user(form.user)
    form.user = user
    user = form.save(commit=False)
    was_forced = user.must_change_password
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    log_action(user, "accounts.password_change", user, {"was_forced": was_forced}, request=request)
    return user


@transaction.atomic
def confirm_otp_device(user: User, device: TOTPDevice, request: HttpRequest | None = None) -> None:
    """Turn on the second factor with a device whose first code was just verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Only one authenticator per login: a leftover pending device would be a second way in.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    log_action(user, "accounts.otp_enrolled", user, request=request)


@transaction.atomic
def disable_own_otp(user: User, request: HttpRequest | None = None) -> int:
    """Turn one's own second factor off (only where the policy does not require it)."""
    if otp.required_for(user):
        raise PermissionDenied(_("Two-factor authentication is required for your role."))
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    log_action(user, "accounts.otp_disabled", user, {"devices_removed": removed}, request=request)
    return removed


def _names(user: User, unit: Unit, role: str) -> dict[str, str]:
    return {"user": str(user), "unit": unit.name, "role": str(Role(role).label)}
