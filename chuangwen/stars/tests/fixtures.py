"""Test data of star ratings: community A's rating of this year (in self-assessment) with one
photo as evidence. Built once per world, on demand."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chuangwen.accounts.models import Membership, Role
from chuangwen.conftest import make_user
from chuangwen.stars import services
from chuangwen.stars.models import Evidence, Rating


def jpeg(color: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


def upload(name: str = "photo.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg() if data is None else data)


@dataclass
class StarWorld:
    rating: Rating
    evidence: Evidence


def community_liaison(world: Any) -> Any:
    """Community A's own liaison: the self-assessment is the community's (seed 001: 社区自荐)."""
    found = (
        Membership.objects.filter(unit=world.community_a, role=Role.LIAISON).select_related("user").first()
    )
    return found.user if found else make_user("community_liaison_a", world.community_a, Role.LIAISON)


def star_rating(world: Any) -> StarWorld:
    cached = world.__dict__.get("_star_rating")
    if cached is not None:
        return cached
    rating = services.open_rating(world.campaign, world.community_a, timezone.localdate().year, world.office)
    aspect_id = rating.scores.order_by("aspect__seq").first().aspect_id
    evidence = services.add_evidence(rating, aspect_id, [upload()], community_liaison(world))[0]
    rating.refresh_from_db()
    made = StarWorld(rating, evidence)
    world.__dict__["_star_rating"] = made
    return made
