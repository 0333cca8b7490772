"""The near-duplicate lookup against every photo ever stored, through the chunk indexes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from chuangwen.materials.evidence.hashing import distance, probe_values, to_signed
from chuangwen.materials.models import Photo


@dataclass(frozen=True)
class Match:
    photo_id: int
    distance: int


def radius() -> int:
    return int(getattr(settings, "MATERIALS_DUPLICATE_RADIUS", 10))


def candidates(value: int, within: int) -> QuerySet:
    """(pk, phash) of the rows sharing a probed value on at least one chunk: one SELECT per chunk
    glued with UNION ALL, so each branch is answered from its (chunk, phash) index alone."""
    probes = probe_values(value, within)
    branches = [
        Photo.objects.filter(**{f"{field}__in": values}).order_by().values_list("pk", "phash")
        for field, values in zip(("hash_a", "hash_b", "hash_c", "hash_d"), probes, strict=True)
    ]
    return branches[0].union(*branches[1:], all=True)


def near_duplicates(value: int, within: int | None = None, exclude_ids: tuple[int, ...] = ()) -> list[Match]:
    """Stored photos whose hash is within `within` bits of `value` (unsigned), nearest first."""
    within = radius() if within is None else within
    signed = to_signed(value)
    excluded = set(exclude_ids)
    found = {
        pk: d
        for pk, h in candidates(value, within)
        if h is not None and pk not in excluded and (d := distance(signed, h)) <= within
    }
    return sorted((Match(pk, d) for pk, d in found.items()), key=lambda m: (m.distance, m.photo_id))
