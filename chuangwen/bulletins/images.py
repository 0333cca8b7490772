"""Photos for the documents: the problems' stored display copies (re-encoded, upright, without
EXIF), scaled down once and shared by the .docx and the PDF."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image

from chuangwen.bulletins import conf
from chuangwen.core.images import display_copy
from chuangwen.problems.models import ProblemPhoto

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scaled:
    data: bytes
    width: int
    height: int


def scale(raw: bytes, side: int) -> Scaled:
    """The shared display-copy recipe (upright, no metadata, reduced-scale JPEG decoding), at
    the documents' size and a lighter quality."""
    data = display_copy(raw, max_side=side, quality=72)
    with Image.open(io.BytesIO(data)) as image:  # reads the header only
        return Scaled(data, image.width, image.height)


def load(photo_ids: Iterable[int], progress: Callable[[int, int], None] | None = None) -> dict[int, Scaled]:
    """photo id → scaled JPEG. A photo whose file is missing or unreadable is left out (the
    documents then say "photo unavailable") rather than failing the whole bulletin."""
    ids = sorted(set(photo_ids))
    side = conf.get("BULLETIN_PHOTO_SIDE")
    photos = list(ProblemPhoto.objects.filter(pk__in=ids).only("id", "display", "original"))

    def one(photo: ProblemPhoto) -> tuple[int, Scaled | None]:
        stored = photo.display or photo.original
        try:
            with stored.open("rb") as handle:
                return photo.pk, scale(handle.read(), side)
        except (OSError, ValueError, Image.DecompressionBombError):  # PhotoError is a ValueError
            log.warning("bulletin: photo %s cannot be read; left out", photo.pk)
            return photo.pk, None

    result: dict[int, Scaled] = {}
    # Pillow releases the GIL while it decodes and encodes: a few threads use every core.
    with ThreadPoolExecutor(max_workers=conf.get("BULLETIN_PHOTO_THREADS")) as pool:
        for done, (pk, scaled) in enumerate(pool.map(one, photos), start=1):
            if scaled is not None:
                result[pk] = scaled
            if progress and (done % 20 == 0 or done == len(photos)):
                progress(done, len(photos))
    return result
