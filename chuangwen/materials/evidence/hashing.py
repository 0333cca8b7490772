"""Perceptual hashes of photos and the near-duplicate lookup (multi-index hashing).

The 64-bit pHash (DCT of a 32×32 grey thumbnail) survives resizing, recompression, small
brightness changes and light cropping: such copies differ in a few bits, unrelated photos in
about 32. A lookup against a million stored hashes cannot compare them all, so each hash is
also stored as four 16-bit chunks in indexed columns. If two hashes differ in at most `r`
bits, at least one of the four chunks differs in at most r // 4 bits (pigeonhole), so the
candidates are the rows whose chunk equals one of the few values within r // 4 bits of the
query's chunk; the exact distance is then checked on those few rows.

Re-filing last quarter's photo rarely leaves it untouched: it gets mirrored, turned, or cropped
at the border or to a corner, and the plain pHash of such a copy differs in 12–40 bits. So the
new photo is also hashed mirrored and turned (the eight symmetries of the square), and every
photo is also hashed on a few windows (centre crops and corner crops, `WINDOWS`) kept in
PhotoWindow: a crop of an old photo matches the old photo's window. Those extra comparisons are
many, so they use tighter radii: turned copies within `VARIANT_RADIUS` bits (one bit per
chunk), windows within `WINDOW_RADIUS` (an identical chunk: eight windows a photo make the
window table eight times the photo table, and an exact chunk is 17 times fewer candidates). A
turned or cropped copy lands within a few bits of the right variant; unrelated photos stay
beyond 14 (`chuangwen bench duplicates`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import combinations

import imagehash
from PIL import Image, ImageOps

CHUNKS = 4
CHUNK_BITS = 16
_MASK = (1 << CHUNK_BITS) - 1
# Every photo is analysed at this size (longest side): the hash needs only 32×32 pixels, the
# people detectors find people taller than the HOG window (128 px) at it, and a JPEG decodes at
# 1/4 scale (DCT scaling) in a few tens of milliseconds. Hash and detectors share one decode.
WORK_SIDE = 960


def phash_image(image: Image.Image) -> int:
    """The 64-bit pHash of an (upright) image as an unsigned int."""
    return int(str(imagehash.phash(image)), 16)


def work_image(image: Image.Image, side: int = WORK_SIDE) -> Image.Image:
    """The photo upright as shown (EXIF orientation applied), grey, longest side at most `side`."""
    if image.format == "JPEG":
        image.draft("L", (side, side))
    upright = ImageOps.exif_transpose(image).convert("L")
    upright.thumbnail((side, side), Image.Resampling.BILINEAR)
    return upright


# (kept fraction of each side, horizontal anchor, vertical anchor) of each window a photo is
# also hashed on: the centre at 80, 75 and 60 %, the four corners at 75 %, the top 88 % (a
# caption bar laid over the bottom).
WINDOWS: tuple[tuple[float, float, float, float], ...] = (
    (0.8, 0.8, 0.5, 0.5),
    (0.75, 0.75, 0.5, 0.5),
    (0.6, 0.6, 0.5, 0.5),
    (0.75, 0.75, 0.0, 0.0),
    (0.75, 0.75, 1.0, 0.0),
    (0.75, 0.75, 0.0, 1.0),
    (0.75, 0.75, 1.0, 1.0),
    (1.0, 0.88, 0.5, 0.0),
)
VARIANT_RADIUS = 7
WINDOW_RADIUS = 3
# Turning and cropping are done on the work image itself: a smaller copy would cost a few bits
# to resampling (measured: recall 96.8 % at 256 px, 97.7 % at 960 px).
VARIANT_SIDE = 960


def window_of(image: Image.Image, spec: tuple[float, float, float, float]) -> Image.Image:
    keep_w, keep_h, ax, ay = spec
    w, h = image.size
    cw, ch = max(1, round(w * keep_w)), max(1, round(h * keep_h))
    x, y = round((w - cw) * ax), round((h - ch) * ay)
    return image.crop((x, y, x + cw, y + ch))


def small(image: Image.Image) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((VARIANT_SIDE, VARIANT_SIDE), Image.Resampling.BILINEAR)
    return copy


def turned_hashes(image: Image.Image) -> list[int]:
    """pHashes of the seven other symmetries of the (work) image: mirrored, turned 90/180/270°
    and both. A mirrored or turned copy of a stored photo matches one of them."""
    base = small(image)
    out = []
    for flipped in (base, ImageOps.mirror(base)):
        for quarter in range(4):
            if flipped is base and quarter == 0:
                continue
            out.append(phash_image(flipped.rotate(90 * quarter, expand=True) if quarter else flipped))
    return out


def window_hashes(image: Image.Image) -> list[int]:
    """pHashes of the image's WINDOWS, in order."""
    base = small(image)
    return [phash_image(window_of(base, spec)) for spec in WINDOWS]


def phash_bytes(data: bytes) -> int:
    """pHash of an encoded photo, computed on its work image (as the evidence checks do)."""
    with Image.open(io.BytesIO(data)) as image:
        return phash_image(work_image(image))


def to_signed(value: int) -> int:
    """The unsigned 64-bit hash as the signed integer a BIGINT column stores."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def chunks(value: int) -> tuple[int, ...]:
    """The four 16-bit chunks of an unsigned hash, most significant first."""
    return tuple((value >> (CHUNK_BITS * (CHUNKS - 1 - i))) & _MASK for i in range(CHUNKS))


def distance(a: int, b: int) -> int:
    """Hamming distance of two hashes (signed or unsigned: the 64 bits are compared)."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def neighbours(chunk: int, radius: int) -> Iterator[int]:
    """Every 16-bit value within `radius` bits of `chunk` (1 + 16 + 120 values for radius 2)."""
    for r in range(radius + 1):
        for bits in combinations(range(CHUNK_BITS), r):
            flipped = chunk
            for bit in bits:
                flipped ^= 1 << bit
            yield flipped


def probe_values(value: int, radius: int) -> list[list[int]]:
    """For each chunk, the values a stored hash within `radius` bits must match on some chunk."""
    per_chunk = radius // CHUNKS
    return [sorted(neighbours(chunk, per_chunk)) for chunk in chunks(value)]


def hash_fields(value: int) -> dict[str, int]:
    """Model field values for an unsigned hash."""
    a, b, c, d = chunks(value)
    return {"phash": to_signed(value), "hash_a": a, "hash_b": b, "hash_c": c, "hash_d": d}


def brute_force(value: int, stored: Iterable[tuple[int, int]], radius: int) -> list[tuple[int, int]]:
    """(id, distance) of every stored (id, hash) within radius: the scan the index avoids."""
    return [(pk, d) for pk, h in stored if (d := distance(value, h)) <= radius]
