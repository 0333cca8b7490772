"""Devices used for offline field work (docs/offline.md): seen with each queued entry, revoked
by the office."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Device
from chuangwen.audit.services import log_action
from chuangwen.core.errors import ConflictError

SEEN_EVERY = dt.timedelta(minutes=5)  # last_seen is written at most this often


def seen(request: HttpRequest, key: str) -> Device | None:
    """The device sending this request (made on first sight), or None for an unusable key."""
    key = key.strip()[:64]
    user = request.user
    if len(key) < 16 or not getattr(user, "is_authenticated", False):
        return None
    now = timezone.now()
    device = Device.objects.filter(key=key).first()
    if device is None:
        membership = user.memberships.order_by("pk").first()
        try:
            with transaction.atomic():
                device = Device.objects.create(
                    key=key,
                    user=user,
                    unit_id=membership.unit_id if membership else None,
                    label=request.headers.get("User-Agent", "")[:200],
                    session_key=request.session.session_key or "",
                    last_seen=now,
                )
        except IntegrityError:
            device = Device.objects.get(key=key)
    if device.user_id == user.pk and not device.revoked_at and now - device.last_seen > SEEN_EVERY:
        Device.objects.filter(pk=device.pk).update(
            last_seen=now, session_key=request.session.session_key or ""
        )
    return device


def revoke(device: Device, actor: Any, request: HttpRequest | None = None) -> Device:
    """Revoke a device: its session ends now, and every request it sends later is refused."""
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.revoked_at:
            raise ConflictError(_("This device was already revoked."))
        device.revoked_at = timezone.now()
        device.revoked_by = actor
        device.save(update_fields=["revoked_at", "revoked_by"])
        if device.session_key:
            engine = import_module(settings.SESSION_ENGINE)
            engine.SessionStore(session_key=device.session_key).delete()
        log_action(actor, "accounts.device.revoke", device, {"user": device.user_id}, request=request)
    return device
