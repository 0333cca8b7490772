"""Photos from phones: checked by content, never by name, and re-encoded for display.

`inspect_photo()` refuses what is not a JPEG, PNG or WebP image (by magic bytes, then
Pillow's `verify()`), files over the size cap, and images whose pixel count would exhaust
memory when decoded (a "decompression bomb": a small file declaring a huge canvas).
`display_copy()` makes the copy pages show: EXIF rotation applied, metadata stripped (a
phone's EXIF carries the GPS of wherever the photo was taken), longest side capped, JPEG.
For JPEG it asks the decoder for a reduced-size draft, which is what keeps ten phone photos
well under the time budget of one checklist save.

Decoding happens in a child process (`isolated()`, on core.isolation): a decoder that crashes
or runs away on a hostile file costs that one upload, never the process serving others.

Model-free and app-free: the apps keep the original file and this display copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError

from chuangwen.core.isolation import IsolationError, TimedOut, run_isolated

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_PIXELS = 50_000_000  # a 50 MP phone photo is the largest real one; beyond is refused
DISPLAY_MAX_SIDE = 1600
DISPLAY_QUALITY = 82
# Limits of one isolated decode: a 50 MP JPEG takes about a second and ~200 MB to decode.
IMAGE_TIMEOUT_S = 30.0
IMAGE_MEMORY_MB = 1024

_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
)
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_EXIF_DATETIME_ORIGINAL = 0x9003
_EXIF_IFD = 0x8769


class PhotoError(ValueError):
    """The upload cannot be kept as a photo; the message is shown to the user as is."""


@dataclass(frozen=True)
class PhotoInfo:
    format: str  # JPEG, PNG or WEBP
    width: int
    height: int
    size: int
    sha256: str
    taken_at: dt.datetime | None  # EXIF DateTimeOriginal, naive (phones write local time)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def sniff_format(head: bytes) -> str | None:
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _taken_at(image: Image.Image) -> dt.datetime | None:
    try:
        raw = image.getexif().get_ifd(_EXIF_IFD).get(_EXIF_DATETIME_ORIGINAL)
        return dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if raw else None
    except (ValueError, TypeError, KeyError, OSError, SyntaxError):
        return None


def inspect_photo(data: bytes, max_bytes: int, max_pixels: int = MAX_PIXELS) -> PhotoInfo:
    """Check an upload is a real, sane image; raise PhotoError with a clear message if not.
    The size and the magic bytes are checked here; decoding happens in an isolated process."""
    kind = _precheck(data, max_bytes)
    width, height, taken_at = isolated(examine, data, kind, max_pixels)
    return _info(data, kind, width, height, taken_at)


def inspect_and_copy(data: bytes, max_bytes: int, max_pixels: int = MAX_PIXELS) -> tuple[PhotoInfo, bytes]:
    """inspect_photo() and display_copy() in one isolated process (one fork, one transfer of the
    photo): what an upload needs."""
    kind = _precheck(data, max_bytes)
    (width, height, taken_at), copy = isolated(_examine_and_render, data, kind, max_pixels)
    return _info(data, kind, width, height, taken_at), copy


def _info(data: bytes, kind: str, width: int, height: int, taken_at: dt.datetime | None) -> PhotoInfo:
    return PhotoInfo(
        format=kind,
        width=width,
        height=height,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        taken_at=taken_at,
    )


def _precheck(data: bytes, max_bytes: int) -> str:
    """The format by magic bytes, after the size; PhotoError before anything is decoded."""
    if not data:
        raise PhotoError(_("The photo is empty."))
    if len(data) > max_bytes:
        raise PhotoError(
            _("The photo is too large (%(size).1f MB); the limit is %(limit)d MB.")
            % {"size": len(data) / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    kind = sniff_format(data[:16])
    if kind is None:
        if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
            raise PhotoError(_("HEIC photos are not accepted. Set the camera to JPEG (“Most Compatible”)."))
        raise PhotoError(_("This file is not a photo (JPEG, PNG or WebP)."))
    return kind


def display_copy(data: bytes, max_side: int = DISPLAY_MAX_SIDE, quality: int = DISPLAY_QUALITY) -> bytes:
    """A JPEG for pages: upright, no metadata, longest side at most `max_side` (made in an
    isolated process)."""
    return isolated(render_display, data, max_side, quality)


def isolated(func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` in an isolated process (core.isolation), its refusals and failures turned
    into PhotoError with a message for the user."""
    try:
        return run_isolated(func, *args, timeout=IMAGE_TIMEOUT_S, memory_mb=IMAGE_MEMORY_MB)
    except Refused as exc:
        raise PhotoError(_(exc.msgid) % exc.params if exc.params else _(exc.msgid)) from exc
    except TimedOut as exc:
        log.warning("image code timed out in %s", func.__name__)
        raise PhotoError(_("The photo took too long to read and is refused.")) from exc
    except IsolationError as exc:
        # A decoder crashed or ran out of memory on this input: the input's fault, told as such.
        log.warning("image code failed in %s: %s", func.__name__, exc)
        raise PhotoError(_(DAMAGED)) from exc
    except Exception as exc:  # noqa: BLE001 - whatever else a malformed file makes Pillow raise
        log.warning("image code raised in %s", func.__name__, exc_info=True)
        raise PhotoError(_(DAMAGED)) from exc


# What follows runs inside the isolated process: pure functions of bytes, no Django setup, and
# messages as msgids (Refused) that the calling process translates.

DAMAGED = gettext_noop("The photo is damaged and cannot be read.")


class Refused(Exception):
    """Raised in the isolated process: the photo is refused for a reason the caller translates."""

    def __init__(self, msgid: str, params: dict | None = None) -> None:
        super().__init__(msgid, params)
        self.msgid = msgid
        self.params = params or {}


def examine(data: bytes, kind: str, max_pixels: int) -> tuple[int, int, dt.datetime | None]:
    """(width, height, EXIF capture time) of a photo whose format must be `kind`; Refused if not."""
    try:
        with warnings.catch_warnings():
            # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that: make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != kind:
                    raise Refused(gettext_noop("This file is not a photo (JPEG, PNG or WebP)."))
                width, height = image.size
                if width * height > max_pixels:
                    raise Refused(
                        gettext_noop(
                            "The photo is %(w)d × %(h)d pixels, larger than any phone takes; it is refused."
                        ),
                        {"w": width, "h": height},
                    )
                image.verify()
            # verify() must come straight after open and leaves the image unusable: reopen.
            with Image.open(io.BytesIO(data)) as image:
                taken_at = _taken_at(image)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Refused(gettext_noop("The photo declares an impossible size and is refused.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise Refused(DAMAGED) from exc
    return width, height, taken_at


def _examine_and_render(data: bytes, kind: str, max_pixels: int) -> tuple[tuple, bytes]:
    return examine(data, kind, max_pixels), render_display(data, DISPLAY_MAX_SIDE, DISPLAY_QUALITY)


def render_display(data: bytes, max_side: int, quality: int) -> bytes:
    """The display copy itself (see display_copy)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                scale = max_side / max(width, height)
                if image.format == "JPEG" and scale < 1:
                    # DCT scaling while decoding (1/2, 1/4, 1/8): far less work than a full decode.
                    # The request keeps the aspect ratio, or no reduced size would satisfy it.
                    image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
                upright = ImageOps.exif_transpose(image)
                if upright.mode not in ("RGB", "L"):
                    background = Image.new("RGB", upright.size, (255, 255, 255))
                    rgba = upright.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    upright = background
                upright.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
                # Pillow copies a JPEG comment (COM segment) from the source's info into what it
                # saves; EXIF, XMP and ICC only when asked. Nothing of the source is carried over.
                upright.info.clear()
                out = io.BytesIO()
                upright.save(out, "JPEG", quality=quality, optimize=False)
                return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise Refused(DAMAGED) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Refused(gettext_noop("The photo declares an impossible size and is refused.")) from exc
