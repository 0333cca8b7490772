"""The near-duplicate lookup against every photo ever stored, through the chunk indexes: plain
copies within `radius()` bits, and — given the new photo's turned and window hashes — mirrored,
turned and cropped copies within hashing.VARIANT_RADIUS bits (see hashing's docstring)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model, QuerySet
from PIL import Image

from chuangwen.materials.evidence.hashing import (
    VARIANT_RADIUS,
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


def near_duplicates(
    value: int,
    within: int | None = None,
    exclude_ids: tuple[int, ...] = (),
    turned: Iterable[int] = (),
    windows: Iterable[int] = (),
) -> list[Match]:
    """Stored photos whose hash is within `within` bits of `value` (unsigned), nearest first;
    with the photo's `turned` and `windows` hashes also its mirrored, turned and cropped copies
    (and the photos it is a crop of), within VARIANT_RADIUS bits."""
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
        probes = [(h, How.TURNED) for h in turned] + [(h, How.CROPPED) for h in windows]
        for pk, h in _probed(Photo, "pk", [p for p, _how in probes], VARIANT_RADIUS):
            if h is None:
                continue
            best = min((distance(p, h), how) for p, how in probes)
            if best[0] <= VARIANT_RADIUS:
                keep(pk, best[0], best[1])
        # Against stored windows: this photo (turned or not) is a crop of an older one.
        probes = [value, *turned, *windows]
        for pk, h in _probed(PhotoWindow, "photo_id", probes, VARIANT_RADIUS):
            d = min(distance(p, h) for p in probes)
            if d <= VARIANT_RADIUS:
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
            [PhotoWindow(photo=photo, window=i, **hash_fields(h)) for i, h in enumerate(windows)],
            ignore_conflicts=True,
        )
    return turned, windows
