"""Sending notifications: in-app always; email when configured; a chat webhook when configured."""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from chuangwen.notifications.models import Notification

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT = 5  # seconds; a slow chat system must not hold up the job that notifies


def notify(
    users: Iterable[Any], title: str, body: str = "", url: str = "", key: str = ""
) -> list[Notification]:
    """Notify each user once. With a `key`, users who already got that key are skipped, so a
    daily job can run twice without sending twice. Email and webhook go out after commit."""
    wanted = {u.pk: u for u in users if u is not None and getattr(u, "is_active", True)}
    if not wanted:
        return []
    if key:
        already = set(
            Notification.objects.filter(user_id__in=wanted, key=key).values_list("user_id", flat=True)
        )
        wanted = {pk: u for pk, u in wanted.items() if pk not in already}
    rows = [
        Notification(user_id=pk, title=title[:200], body=body, url=url[:300], key=key[:120]) for pk in wanted
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    recipients = list(wanted.values())
    transaction.on_commit(lambda: _deliver_outside(recipients, title, body, url))
    return created


def _deliver_outside(users: list[Any], title: str, body: str, url: str) -> None:
    if settings.EMAIL_HOST:
        addresses = sorted({u.email for u in users if getattr(u, "email", "")})
        if addresses:
            try:
                send_mail(title, f"{body}\n\n{url}".strip(), None, addresses, fail_silently=False)
            except OSError:
                log.exception("notification email failed")
    if settings.NOTIFY_WEBHOOK_URL:
        post_webhook(
            settings.NOTIFY_WEBHOOK_URL,
            {"title": title, "body": body, "url": url, "users": sorted(u.get_username() for u in users)},
        )


def post_webhook(url: str, payload: dict[str, Any]) -> bool:
    """POST the payload as JSON (chat systems' incoming webhooks); False when it failed."""
    if not url.startswith(("http://", "https://")):
        log.warning("NOTIFY_WEBHOOK_URL is not an http(s) URL; skipped")
        return False
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            return 200 <= response.status < 300
    except OSError:
        log.exception("notification webhook failed")
        return False


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
