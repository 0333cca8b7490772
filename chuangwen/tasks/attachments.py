"""Progress-report attachments: accepted by what the bytes are, never by the file name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

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
            if extension in ("zip", "ole"):
                # A container: keep the office extension the user gave, or call it what it is.
                given = name.rsplit(".", 1)[-1].lower() if "." in name else ""
                extension = given if given in _OFFICE else ("zip" if extension == "zip" else "bin")
            return CheckedFile(data, name[-200:], extension, content_type, hashlib.sha256(data).hexdigest())
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return CheckedFile(data, name[-200:], "webp", "image/webp", hashlib.sha256(data).hexdigest())
    raise AttachmentError(
        _("“%(name)s” is not a photo (JPEG, PNG, WebP), a PDF or an Office document.") % {"name": name}
    )
