"""The near-duplicate lookup against every photo ever stored, through the chunk indexes: plain
copies within `radius()` bits, and — given the new photo's turned and window hashes — mirrored
and turned copies within hashing.VARIANT_RADIUS bits, cropped ones within WINDOW_RADIUS (see
hashing's docstring)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Model, QuerySet
from PIL import Image

from chuangwen.materials.evidence.hashing import (
    VARIANT_RADIUS,
    WINDOW_RADIUS,
    distance,
    hash_fields,
    probe_values,
    to_signed,
    turned_hashes,
    window_hashes,
    work_image,
)
from chuangwen.materials.models import Photo, PhotoWindow

CHUNK_FIELDS = ("hash_a", "hash_b", "hash_c", "hash_d")


class How:
    """How a match was found: the words the flag shows (translated on display)."""

    COPY = "copy"
    TURNED = "turned"
    CROPPED = "cropped"


@dataclass(frozen=True)
class Match:
    photo_id: int
    distance: int
    how: str = How.COPY


def radius() -> int:
    return int(getattr(settings, "MATERIALS_DUPLICATE_RADIUS", 10))


def _union(model: type[Model], id_field: str, values: list[set[int]]) -> QuerySet:
    branches = [
        model.objects.filter(**{f"{field}__in": sorted(wanted)}).order_by().values_list(id_field, "phash")
        for field, wanted in zip(CHUNK_FIELDS, values, strict=True)
    ]
    return branches[0].union(*branches[1:], all=True)


def candidates(value: int, within: int) -> QuerySet:
    """(pk, phash) of the rows sharing a probed value on at least one chunk: one SELECT per chunk
    glued with UNION ALL, so each branch is answered from its (chunk, phash) index alone."""
    return _union(Photo, "pk", [set(v) for v in probe_values(value, within)])


def _probed(model: type[Model], id_field: str, probes: Iterable[int], within: int) -> QuerySet:
    """One UNION ALL for several probe hashes: each chunk's IN list holds every probe's values."""
    values: list[set[int]] = [set(), set(), set(), set()]
    for probe in probes:
        for wanted, chunk_values in zip(values, probe_values(probe, within), strict=True):
            wanted.update(chunk_values)
    return _union(model, id_field, values)


def _nearest(model: type[Model], id_field: str, probes: list[int], within: int) -> list[tuple[int, int, int]]:
    """(id, distance, index of the nearest probe) of the rows within `within` bits of a probe. The candidates of many probes are thousands of rows on a million: their distances to
    every probe are counted at once (numpy XOR and bit count) rather than pair by pair."""
    rows = [(pk, h) for pk, h in _probed(model, id_field, probes, within) if h is not None]
    if not rows:
        return []
    ids = np.fromiter((pk for pk, _h in rows), dtype=np.int64, count=len(rows))
    stored = np.fromiter((h for _pk, h in rows), dtype=np.int64, count=len(rows)).view(np.uint64)
    wanted = np.array([to_signed(p) for p in probes], dtype=np.int64).view(np.uint64)
    distances = np.bitwise_count(stored[:, None] ^ wanted[None, :])
    nearest = distances.argmin(axis=1)
    best = distances[np.arange(len(rows)), nearest]
    hit = best <= within
    return list(zip(ids[hit].tolist(), best[hit].tolist(), nearest[hit].tolist(), strict=True))


def near_duplicates(
    value: int,
    within: int | None = None,
    exclude_ids: tuple[int, ...] = (),
    turned: Iterable[int] = (),
    windows: Iterable[int] = (),
) -> list[Match]:
    """Stored photos whose hash is within `within` bits of `value` (unsigned), nearest first;
    with the photo's `turned` and `windows` hashes also its mirrored and turned copies (within
    VARIANT_RADIUS bits) and its cropped copies and the photos it is a crop of (WINDOW_RADIUS)."""
    within = radius() if within is None else within
    excluded = set(exclude_ids)
    found: dict[int, Match] = {}

    def keep(pk: int, d: int, how: str) -> None:
        if pk in excluded:
            return
        if pk not in found or (d, how != How.COPY) < (found[pk].distance, found[pk].how != How.COPY):
            found[pk] = Match(pk, d, how)

    signed = to_signed(value)
    for pk, h in candidates(value, within):
        if h is not None and (d := distance(signed, h)) <= within:
            keep(pk, d, How.COPY)
    turned, windows = list(turned), list(windows)
    if turned or windows:
        # Against whole stored photos: this photo turned, or cut to a window (the old one was
        # a crop of what is filed now).
        for pk, d, _index in _nearest(Photo, "pk", turned, VARIANT_RADIUS):
            keep(pk, d, How.TURNED)
        for pk, d, _index in _nearest(Photo, "pk", windows, WINDOW_RADIUS):
            keep(pk, d, How.CROPPED)
        # Against stored windows (eight per photo): this photo, turned or not, is a crop of an
        # older one.
        for pk, d, _index in _nearest(PhotoWindow, "photo_id", [value, *turned, *windows], WINDOW_RADIUS):
            keep(pk, d, How.CROPPED)
    return sorted(found.values(), key=lambda m: (m.distance, m.photo_id))


def photo_variants(photo: Photo) -> tuple[list[int], list[int]]:
    """The photo's turned and window hashes (decoded from its original once); its windows are
    stored the first time, so later photos find crops of it."""
    with photo.original.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as image:
        work = work_image(image)
    turned, windows = turned_hashes(work), window_hashes(work)
    if not PhotoWindow.objects.filter(photo=photo).exists():
        PhotoWindow.objects.bulk_create(
            [PhotoWindow(photo=photo, seq=i, **hash_fields(h)) for i, h in enumerate(windows)],
            ignore_conflicts=True,
        )
    return turned, windows
