"""Progress-report attachments: accepted by what the bytes are, never by the file name.

An image is checked as every photo upload is (core.images.inspect_photo, in an isolated
process): a file that starts like a JPEG but is HTML, or a PNG declaring 30000 × 30000 pixels,
is refused. Only verified images are ever shown inline; everything else (PDF, Office) is
served as a download (views.attachment).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from chuangwen.core.images import PhotoError, inspect_photo

# (magic bytes, extension, content type). Office documents are ZIP (docx/xlsx/pptx) or OLE2.
_KINDS = (
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"%PDF-", "pdf", "application/pdf"),
    (b"PK\x03\x04", "zip", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "application/octet-stream"),
)
_OFFICE = {"docx", "xlsx", "pptx", "doc", "xls", "ppt", "wps", "et"}


class AttachmentError(ValueError):
    """The file cannot be attached; the message is shown to the user as is."""


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    name: str
    extension: str
    content_type: str
    sha256: str


def check_attachment(data: bytes, name: str) -> CheckedFile:
    """Refuse empty and oversized files and anything that is not an image, PDF or Office file."""
    if not data:
        raise AttachmentError(_("“%(name)s” is empty.") % {"name": name})
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise AttachmentError(
            _("“%(name)s” is larger than %(limit)d MB.") % {"name": name, "limit": limit // 1024 // 1024}
        )
    for magic, extension, content_type in _KINDS:
        if data.startswith(magic):
            if content_type.startswith("image/"):
                _check_image(data, name)
            if extension in ("zip", "ole"):
                # A container: keep the office extension the user gave, or call it what it is.
                given = name.rsplit(".", 1)[-1].lower() if "." in name else ""
                extension = given if given in _OFFICE else ("zip" if extension == "zip" else "bin")
            return CheckedFile(data, name[-200:], extension, content_type, hashlib.sha256(data).hexdigest())
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        _check_image(data, name)
        return CheckedFile(data, name[-200:], "webp", "image/webp", hashlib.sha256(data).hexdigest())
    raise AttachmentError(
        _("“%(name)s” is not a photo (JPEG, PNG, WebP), a PDF or an Office document.") % {"name": name}
    )


def _check_image(data: bytes, name: str) -> None:
    try:
        inspect_photo(data, max_bytes=settings.UPLOAD_MAX_BYTES)
    except PhotoError as exc:
        raise AttachmentError(f"“{name}”: {exc}") from exc


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, refused by its declared size before any is read, and never
    more than one byte past the cap read (check_attachment then reports it too large)."""
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise AttachmentError(
            _("“%(name)s” is larger than %(limit)d MB.")
            % {"name": getattr(upload, "name", ""), "limit": limit // 1024 // 1024}
        )
    upload.seek(0)
    return upload.read(limit + 1)


def shows_inline(content_type: str, data: bytes) -> bool:
    """True only for a stored image that still passes the photo checks (rows stored before the
    checks were made by magic bytes alone may be anything)."""
    if not content_type.startswith("image/"):
        return False
    try:
        inspect_photo(data, max_bytes=max(len(data), 1))
    except PhotoError:
        return False
    return True


FORM_ALLOWANCE = 64 * 1024  # the form's text fields and the multipart framing
