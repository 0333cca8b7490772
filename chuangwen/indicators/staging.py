"""Holding an uploaded spreadsheet between the preview (dry run) and the commit.

The file is kept in the media storage under a random token remembered in the user's
session, so only the user who uploaded it can commit it, and a second request (another web
process) can find it again.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest

STAGING_DIR = "imports"


def stage(request: HttpRequest, kind: str, data: bytes) -> str:
    """Keep the upload and remember its token; the user's previous upload of `kind` goes."""
    previous = request.session.get(f"staged_{kind}")
    if previous:
        discard(request, kind, previous)
    token = secrets.token_hex(16)
    default_storage.save(f"{STAGING_DIR}/{kind}/{token}.xlsx", ContentFile(data))
    request.session[f"staged_{kind}"] = token
    return token


def staged_bytes(request: HttpRequest, kind: str, token: str) -> bytes | None:
    """The staged file if `token` is this user's latest upload of `kind`, else None."""
    if not token or request.session.get(f"staged_{kind}") != token or not token.isalnum():
        return None
    name = f"{STAGING_DIR}/{kind}/{token}.xlsx"
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read(settings.UPLOAD_MAX_BYTES + 1)


def discard(request: HttpRequest, kind: str, token: str) -> None:
    name = f"{STAGING_DIR}/{kind}/{token}.xlsx"
    if token.isalnum() and default_storage.exists(name):
        default_storage.delete(name)
    request.session.pop(f"staged_{kind}", None)
