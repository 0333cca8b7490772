"""Checking and storing problem photos.

An upload is judged by its content, never by its name or declared type: the first bytes must
be JPEG, PNG or WebP, Pillow must verify it, its size must be under UPLOAD_MAX_BYTES and its
pixel count under PHOTO_MAX_PIXELS (a small file that decompresses to a huge bitmap is a
decompression bomb). The original bytes are kept untouched (evidence); a re-encoded JPEG,
turned upright by its EXIF orientation and stripped of metadata, is what pages show. Both the
decoding check and the display copy run in an isolated process (core.isolation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import uuid
import warnings
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from chuangwen.core import images
from chuangwen.core.errors import DomainError
from chuangwen.core.isolation import IsolationError, run_isolated
from chuangwen.problems import conf

MAGIC = {
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),  # and "WEBP" at offset 8, checked below
}
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
MAX_PHOTOS = 9  # per upload: what a phone's picker offers at once

log = logging.getLogger(__name__)


class PhotoError(DomainError):
    """The upload is not a photo we accept; the message says why, for the user."""


@dataclass
class CheckedPhoto:
    data: bytes
    kind: str  # jpeg / png / webp
    width: int
    height: int
    sha256: str
    taken_at: dt.datetime | None
    name: str = ""

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def sniff(data: bytes) -> str | None:
    if data.startswith(MAGIC["jpeg"][0]):
        return "jpeg"
    if data.startswith(MAGIC["png"][0]):
        return "png"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    return None


def read_upload(upload: bytes | IO[bytes] | Any) -> bytes:
    if isinstance(upload, bytes):
        return upload
    max_bytes = settings.UPLOAD_MAX_BYTES
    if getattr(upload, "size", None) and upload.size > max_bytes:
        raise _too_large(upload.size)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    return data if isinstance(data, bytes) else bytes(data)


def _too_large(size: int) -> PhotoError:
    return PhotoError(
        _("The photo is too large (%(size)d MB); the limit is %(limit)d MB.")
        % {"size": size // 1024 // 1024, "limit": settings.UPLOAD_MAX_BYTES // 1024 // 1024}
    )


def check(upload: bytes | IO[bytes] | Any, name: str = "") -> CheckedPhoto:
    """The upload as a CheckedPhoto, or PhotoError with a message for the user."""
    data = read_upload(upload)
    name = name or getattr(upload, "name", "") or ""
    if not data:
        raise PhotoError(_("The photo “%(name)s” is empty.") % {"name": name})
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise _too_large(len(data))
    kind = sniff(data)
    if kind is None:
        raise PhotoError(
            _(
                "“%(name)s” is not a JPEG, PNG or WebP photo. On an iPhone, set the camera to “Most Compatible”."
            )
            % {"name": name}
        )
    try:
        outcome = run_isolated(examine, data, conf.get("PHOTO_MAX_PIXELS"), timeout=30)
    except Exception as exc:  # noqa: BLE001 - crashed, out of memory or time, or any decoder error
        # Whatever it was, it happened decoding this file: the file's fault, told as such.
        log.warning("photo check failed in isolation: %s", exc, exc_info=not isinstance(exc, IsolationError))
        raise PhotoError(_("“%(name)s” cannot be read as a photo.") % {"name": name}) from exc
    if outcome[0] == "too_many_pixels":
        raise PhotoError(
            _("The photo has too many pixels (%(w)d×%(h)d).") % {"w": outcome[1], "h": outcome[2]}
        )
    if outcome[0] == "not_photo":
        raise PhotoError(_("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name})
    if outcome[0] == "unreadable":
        raise PhotoError(_("“%(name)s” cannot be read as a photo.") % {"name": name})
    if outcome[0] == "damaged":
        raise PhotoError(_("“%(name)s” is damaged or incomplete.") % {"name": name})
    _ok, width, height, taken = outcome
    taken_at = timezone.make_aware(taken) if taken else None
    return CheckedPhoto(data, kind, width, height, hashlib.sha256(data).hexdigest(), taken_at, name)


def examine(data: bytes, max_pixels: int) -> tuple:
    """("ok", width, height, naive EXIF time) or (reason, …): decodes the whole photo, so it
    runs in an isolated process (core.isolation) and knows nothing of Django."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    return ("too_many_pixels", width, height)
                if (image.format or "").lower() not in CONTENT_TYPES:
                    return ("not_photo",)
                image.verify()
            # verify() leaves the image unusable; decode it fully once to catch truncation.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                taken = _exif_time(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ("unreadable",)
    except (OSError, SyntaxError, ValueError, EOFError):
        return ("damaged",)
    return ("ok", width, height, taken)


def _exif_time(image: Image.Image) -> dt.datetime | None:
    try:
        exif = image.getexif()
        raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, DateTime
        if not raw:
            return None
        return dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (ValueError, TypeError, KeyError, AttributeError, OSError):
        return None


def display_copy(photo: CheckedPhoto) -> bytes:
    """A JPEG no wider than PHOTO_DISPLAY_SIDE, upright, without EXIF or any other metadata (no
    GPS leaks to viewers): the shared recipe of core.images, made in an isolated process."""
    try:
        return images.display_copy(photo.data, max_side=conf.get("PHOTO_DISPLAY_SIDE"))
    except images.PhotoError as exc:
        raise PhotoError(str(exc)) from exc


def store(photo: CheckedPhoto) -> tuple[ContentFile, ContentFile]:
    """(original, display copy) as named files ready for FileField.save()."""
    stem = uuid.uuid4().hex
    original = ContentFile(photo.data, name=f"{stem}.{EXTENSIONS[photo.kind]}")
    display = ContentFile(display_copy(photo), name=f"{stem}.jpg")
    return original, display


def check_many(uploads: list[Any]) -> list[CheckedPhoto]:
    if len(uploads) > MAX_PHOTOS:
        raise PhotoError(_("At most %(n)d photos at a time.") % {"n": MAX_PHOTOS})
    return [check(upload) for upload in uploads]
