"""Writing to and checking the audit log."""

from __future__ import annotations

import ipaddress
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangwen.audit import chain, checkpoints
from chuangwen.audit.models import AuditEntry, AuditHead
from chuangwen.audit.verify import VerifyResult, verify_chain
from chuangwen.core.actors import user_or_none

__all__ = [
    "VerifyResult",
    "client_ip",
    "diff",
    "log_action",
    "purge_older_than",
    "rotate_key",
    "verify_chain",
]

_MAX_VALUE = 500  # characters kept of one changed value; the log is a record, not a backup
MIN_RETENTION_DAYS = 180  # 等保 2.0: audit records are kept at least six months


def _normal_ip(value: str | None) -> str | None:
    """The address in the form the database gives back (IPv6 compressed), or None if it is not one.

    The hash is computed before the row is written, so the value hashed must be the value stored.
    """
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return str(address)


def client_ip(request: HttpRequest | None) -> str | None:
    """The visitor's address: REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the address the
    outermost of them saw (the N-th entry from the right of X-Forwarded-For).

    Also the key django-axes locks sign-ins by (settings.AXES_CLIENT_IP_CALLABLE)."""
    if request is None:
        return None
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return _normal_ip(hops[-proxies] if len(hops) >= proxies else hops[0])
    return _normal_ip(request.META.get("REMOTE_ADDR"))


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _MAX_VALUE:
        return value[:_MAX_VALUE] + "…"
    return value


def _as_stored(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes as the JSON column will give them back (dates as text, tuples as lists…),
    so the hash computed now matches the hash recomputed from the stored row."""
    return json.loads(json.dumps(changes, cls=DjangoJSONEncoder))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [_short(before.get(key)), _short(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _actor_name(actor: Any, user: Any) -> str:
    if user is not None:
        return str(user.username)[:150]
    return (actor if isinstance(actor, str) else "system")[:150]


def log_action(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry to the chain. Runs in (or opens) a transaction and locks the head row,
    so concurrent writers on PostgreSQL chain one after the other instead of forking."""
    user = user_or_none(actor)
    # No savepoint of its own inside the caller's transaction: if the entry cannot be written,
    # the caller's change must not be kept either, and two fewer statements on every change.
    with transaction.atomic(savepoint=False):
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            created_at=timezone.now(),
            actor=user,
            actor_name=_actor_name(actor, user),
            action=action[:80],
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
            changes=_as_stored({str(k): _short(v) for k, v in (changes or {}).items()}),
            ip=client_ip(request),
            prev_hash=head.last_hash,
            key_id=chain.current_key_id(),
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        AuditHead.objects.filter(pk=head.pk).update(
            last_hash=entry.entry_hash, last_id=entry.pk, count=models.F("count") + 1
        )
    return entry


def retention_cutoff(days: int | None = None) -> datetime:
    """Entries older than this may be purged: never younger than AUDIT_RETENTION_DAYS (≥ 180)."""
    floor = max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)
    keep_days = max(days or floor, floor)
    return timezone.now() - timedelta(days=keep_days)


def purgeable(cutoff: datetime) -> tuple[models.QuerySet[AuditEntry], AuditEntry | None]:
    """The entries a purge at `cutoff` removes (a prefix of the chain) and the first one kept."""
    first_kept = AuditEntry.objects.filter(created_at__gte=cutoff).order_by("pk").first()
    if first_kept is None:
        return AuditEntry.objects.all(), None
    return AuditEntry.objects.filter(pk__lt=first_kept.pk), first_kept


def purge_older_than(days: int | None = None, actor: Any = "system") -> int:
    """Remove entries past retention and re-anchor the chain at the oldest kept entry.

    Only a prefix of the chain is removed (everything before the oldest entry still inside the
    retention window), so what is kept remains one unbroken chain that `verify_chain` checks.
    """
    cutoff = retention_cutoff(days)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        old, first_kept = purgeable(cutoff)
        removed = old.count()
        if not removed:
            return 0
        # The model and its queryset refuse deletes; retention is the one sanctioned removal.
        old._raw_delete(old.db)
        head.anchor_hash = first_kept.prev_hash if first_kept else head.last_hash
        head.count -= removed
        head.save(update_fields=["anchor_hash", "count"])
        # The anchor and the first kept entry go into the (keyed) purge entry: a prefix removed
        # by hand, with the head's anchor set to match, has no such entry and fails verify.
        log_action(
            actor,
            "audit.purge",
            changes={
                "removed": removed,
                "before": cutoff.isoformat(),
                "anchor": head.anchor_hash,
                "first_kept": first_kept.pk if first_kept else None,
            },
        )
    return removed


def rotate_key(actor: Any = "system") -> tuple[str, str]:
    """Append a new audit key to the key file and sign from now on with it; returns the old and
    new key ids. Old keys stay in the file: the entries they signed must keep verifying, and an
    entry signed with the new key pins every entry before it (its hash covers the link)."""
    path = settings.AUDIT_KEY_FILE
    if path is None:
        raise ValueError(
            "the audit keys come from AUDIT_KEY: append a new key to it (comma-separated) and restart"
        )
    new = secrets.token_urlsafe(48)
    old_id = chain.current_key_id()
    text = path.read_text()
    with path.open("a") as fh:
        fh.write(("" if text.endswith("\n") or not text else "\n") + new + "\n")
    # This process signs with the new key at once; servers pick it up when restarted.
    settings.AUDIT_KEYS = [*settings.AUDIT_KEYS, new]
    new_id = chain.current_key_id()
    log_action(actor, "audit.key.rotate", changes={"from": old_id, "to": new_id})
    checkpoints.publish()
    return old_id, new_id
