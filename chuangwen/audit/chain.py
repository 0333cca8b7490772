"""How an audit entry is hashed: keyed (HMAC-SHA256) with keys that live outside the database.

A plain hash chain only proves the rows agree with each other: whoever owns the database can
rewrite an entry and recompute every later hash. With a key the database never sees, they
cannot. Each entry names the key that signed it (`key_id`, a fingerprint, never the key), so
keys can be rotated and old entries still verify. Entries written before the chain was keyed
carry an empty key id and are checked with plain SHA-256 (`LEGACY`); the migration that keyed
the chain appended a keyed entry after them, which pins them in place.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

LEGACY = ""  # the key id of entries written before the chain was keyed


class UnknownKeyError(KeyError):
    """An entry or checkpoint names a key that is not in this installation's keyring."""


def key_id(secret: str) -> str:
    """A short public fingerprint of a key, stored beside what it signed."""
    return hashlib.sha256(b"chuangwen-audit-key:" + secret.encode()).hexdigest()[:12]


@lru_cache(maxsize=8)
def _ring(keys: tuple[str, ...]) -> dict[str, bytes]:
    return {key_id(secret): secret.encode() for secret in keys}


def keyring() -> dict[str, bytes]:
    """Every configured key by its id (old ones verify what they signed)."""
    return _ring(tuple(settings.AUDIT_KEYS))


def current_key_id() -> str:
    """The id of the key that signs new entries and checkpoints: the last one configured."""
    return key_id(settings.AUDIT_KEYS[-1])


def canonical(values: list[Any]) -> bytes:
    return json.dumps(
        values, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def sign(values: list[Any], kid: str) -> str:
    """HMAC-SHA256 of `values` under key `kid`; plain SHA-256 for legacy entries."""
    if kid == LEGACY:
        return hashlib.sha256(canonical(values)).hexdigest()
    key = keyring().get(kid)
    if key is None:
        raise UnknownKeyError(kid)
    return hmac.new(key, canonical([kid, *values]), hashlib.sha256).hexdigest()


def entry_values(entry: Any) -> list[Any]:
    """What an entry's hash covers (works on the model and on a migration's historical model)."""
    return [
        entry.prev_hash,
        entry.created_at.isoformat(),
        entry.actor_id,
        entry.actor_name,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        entry.changes,
        entry.ip,
    ]


def entry_hash(entry: Any) -> str:
    return sign(entry_values(entry), entry.key_id)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
