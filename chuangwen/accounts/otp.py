"""The optional TOTP second factor (django-otp), required for office admins when configured."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangwen.accounts.models import Role


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def required_for(user: Any) -> bool:
    """Does the policy force this user to have a second factor (REQUIRE_OTP_FOR_OFFICE)?"""
    return bool(settings.REQUIRE_OTP_FOR_OFFICE) and user.has_role(Role.OFFICE_ADMIN)


def needs_otp(user: Any) -> bool:
    """A user with a confirmed device always verifies; office admins must when it is required
    (and, having no device yet, are sent to enrol one before anything else)."""
    if confirmed_device(user) is not None:
        return True
    return required_for(user)


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (one per user), created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app that cannot scan."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code for an authenticator app."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=4, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue().decode("utf-8")
