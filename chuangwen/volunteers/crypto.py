"""Encryption of the volunteers' ID numbers at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key is FIELD_KEY (settings), kept like SECRET_KEY: from the environment, else generated
once into the data folder (chuangwen.envconf.field_key). Losing the key loses the ID numbers,
nothing else; see docs/volunteers.md."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(text: str) -> str:
    """The token to store ("" stays "")."""
    if not text:
        return ""
    return _fernet(settings.FIELD_KEY).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The text back; "" when there is none or the key no longer opens it."""
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_KEY).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def mask_id_number(number: str) -> str:
    """110***********1234: the first three and last four characters."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
