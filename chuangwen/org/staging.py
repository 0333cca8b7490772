"""Uploaded rosters waiting for the user to confirm the import.

The preview and the commit are two requests. The file checked in the first is kept on the
server (MEDIA_ROOT/imports/<token>.xlsx) and the token is remembered in the user's session, so
the commit imports exactly the file that was previewed: a token from another session, a
guessed token or a re-upload is never trusted. The file is deleted once taken.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "org_import_uploads"
MAX_AGE_SECONDS = 24 * 3600  # an upload not confirmed within a day is thrown away
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Staged:
    data: bytes
    filename: str


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def keep(request: HttpRequest, data: bytes, filename: str) -> str:
    """Store the upload and tie it to this session and user; the token to confirm it with."""
    _sweep()
    token = secrets.token_hex(16)
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{token}.xlsx").write_bytes(data)
    uploads = dict(request.session.get(SESSION_KEY, {}))
    uploads[token] = {
        "filename": filename[:200],
        "user": request.user.pk,
        "sha256": hashlib.sha256(data).hexdigest(),
        "at": time.time(),
    }
    request.session[SESSION_KEY] = uploads
    return token


def take(request: HttpRequest, token: str) -> Staged | None:
    """The staged upload for this session's token, removed from disk and session; or None."""
    if not _TOKEN.match(token or ""):
        return None
    uploads = dict(request.session.get(SESSION_KEY, {}))
    entry = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    path = folder() / f"{token}.xlsx"
    if entry is None:
        return None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    path.unlink(missing_ok=True)
    if entry.get("user") != request.user.pk or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        return None
    if time.time() - entry.get("at", 0) > MAX_AGE_SECONDS:
        return None
    return Staged(data=data, filename=entry.get("filename", ""))


def _sweep() -> None:
    """Delete uploads nobody confirmed (the session that knew them may be long gone)."""
    target = folder()
    if not target.is_dir():
        return
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in target.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
