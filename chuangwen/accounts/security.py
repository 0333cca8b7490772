"""Helpers of login security used by the account pages: lock state and temporary passwords."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

# No look-alikes (0/O, 1/l/I): a temporary password is read aloud or copied from a screen.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SYMBOLS = "!#%+-=?@"


def generate_password(length: int = 14) -> str:
    """A random temporary password that satisfies both policies: 等保 (three of four classes)
    and ASVS (at least 12 characters)."""
    length = max(length, 12)
    pools = (_LOWER, _UPPER, _DIGITS, _SYMBOLS)
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _failure_limit() -> int:
    limit = settings.AXES_FAILURE_LIMIT
    return int(limit()) if callable(limit) else int(limit)


def locked_attempts() -> QuerySet[AccessAttempt]:
    """The django-axes records that lock a username from an address right now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(failures_since_start__gte=_failure_limit(), attempt_time__gte=since)


def locked_usernames(usernames: Iterable[str]) -> dict[str, list[str]]:
    """{username: [addresses it is locked from]} for the usernames locked right now.

    A lock is per username *and* address (AXES_LOCKOUT_PARAMETERS): the same account may be
    locked from one address and usable from another, so the addresses are shown.
    """
    names = [name for name in usernames if name]
    if not names:
        return {}
    locked: dict[str, list[str]] = {}
    for username, ip in locked_attempts().filter(username__in=names).values_list("username", "ip_address"):
        locked.setdefault(username, []).append(ip or "?")
    return locked
