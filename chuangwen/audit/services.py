"""Writing to and checking the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangwen.audit.models import AuditEntry, AuditHead

_MAX_VALUE = 500  # characters kept of one changed value; the log is a record, not a backup


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-proxies] if len(hops) >= proxies else hops[0]
    return request.META.get("REMOTE_ADDR") or None


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _MAX_VALUE:
        return value[:_MAX_VALUE] + "…"
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [_short(before.get(key)), _short(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


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
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            created_at=timezone.now(),
            actor=user,
            actor_name=(str(user.username) if user else (actor if isinstance(actor, str) else "system")),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
            changes={k: _short(v) for k, v in (changes or {}).items()},
            ip=_client_ip(request),
            prev_hash=head.last_hash,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        head.last_hash = entry.entry_hash
        head.last_id = entry.pk
        head.count += 1
        head.save(update_fields=["last_hash", "last_id", "count"])
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify_chain(batch: int = 5000) -> VerifyResult:
    """Walk the chain oldest first; report the first entry whose hash or link does not hold."""
    head = AuditHead.objects.filter(pk=1).first()
    expected_prev = head.anchor_hash if head else ""
    checked = 0
    last_id = 0
    last_hash = ""
    while True:
        rows = list(AuditEntry.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.prev_hash != expected_prev:
                return VerifyResult(False, checked, entry.pk, "link to the previous entry is broken")
            if entry.compute_hash() != entry.entry_hash:
                return VerifyResult(False, checked, entry.pk, "content does not match its hash")
            expected_prev = entry.entry_hash
            last_hash = entry.entry_hash
            last_id = entry.pk
            checked += 1
    if head and (head.last_hash != last_hash or head.count != checked):
        return VerifyResult(False, checked, last_id or None, "entries after this one were removed")
    return VerifyResult(True, checked)


def purge_older_than(days: int | None = None) -> int:
    """Remove entries past retention (never below AUDIT_RETENTION_DAYS) and re-anchor the chain."""
    keep_days = max(days or settings.AUDIT_RETENTION_DAYS, settings.AUDIT_RETENTION_DAYS)
    cutoff = timezone.now() - timedelta(days=keep_days)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        old = AuditEntry.objects.filter(created_at__lt=cutoff)
        first_kept = AuditEntry.objects.filter(created_at__gte=cutoff).order_by("pk").first()
        removed = old.count()
        if not removed:
            return 0
        # QuerySet.delete bypasses the model's delete(): retention is the one sanctioned removal.
        old._raw_delete(old.db)
        head.anchor_hash = first_kept.prev_hash if first_kept else head.last_hash
        head.count -= removed
        head.save(update_fields=["anchor_hash", "count"])
    log_action("system", "audit.purge", changes={"removed": removed, "before": cutoff.isoformat()})
    return removed
