"""Test data for problems: categories, photos and problems of street A."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from chuangwen.problems import services
from chuangwen.problems.models import CalendarDay, Channel, Problem, ProblemCategory, Source
from chuangwen.problems.photos import CheckedPhoto, check
from chuangwen.problems.seed import load_categories, load_holidays


def categories() -> dict[str, ProblemCategory]:
    """The shipped categories by minor name (loaded again if a transactional test flushed them)."""
    if not ProblemCategory.objects.exists():
        load_categories(ProblemCategory)
    if not CalendarDay.objects.exists():
        load_holidays(CalendarDay)
    return {c.name: c for c in ProblemCategory.objects.exclude(parent=None).select_related("parent")}


def category(name: str = "占道经营") -> ProblemCategory:
    return categories()[name]


def jpeg_bytes(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG")
    return out.getvalue()


def png_bytes(width: int = 32, height: int = 32) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 128)).save(out, "PNG")
    return out.getvalue()


def photo(color: tuple[int, int, int] = (200, 30, 30)) -> CheckedPhoto:
    return check(jpeg_bytes(color=color), name="photo.jpg")


def problem_in_street_a(world: Any, actor: Any = None, **extra: Any) -> Problem:
    """A problem dispatched to street A, reported by the inspector (so the team verifies it)."""
    fields = {
        "category": category(),
        "description": "松林路口占道经营",
        "source": Source.INSPECTION,
        "address": "松林街道松林路12号",
        "lat": 30.0,
        "lng": 120.0,
        "unit": world.street_a,
    }
    fields.update(extra)
    return services.report(actor or world.inspector, **fields)


def _cached(world: Any, name: str, make) -> Any:
    value = world.__dict__.get(name)
    if value is None:
        value = make()
        world.__dict__[name] = value
    return value


def matrix_problem(world: Any) -> Problem:
    """The problem of street A the permission matrix uses (with a before-photo), made once per world."""
    return _cached(world, "_matrix_problem", lambda: problem_in_street_a(world, photos=[photo()]))


def matrix_photo(world: Any) -> Any:
    return matrix_problem(world).photos.first()


def public_problem(world: Any) -> Problem:
    """A citizen's report from the public page, with a photo and a follow-status token."""
    return _cached(
        world,
        "_public_problem",
        lambda: services.report(
            "public",
            category=category(),
            description="人行道被占",
            source=Source.CITIZEN,
            channel=Channel.PUBLIC,
            address="松林路",
            reporter_phone="13812345678",
            photos=[photo()],
        ),
    )


def matrix_notice(world: Any) -> Any:
    """A supervision notice to street A about its problem."""
    from django.utils import timezone

    from chuangwen.problems.escalation import issue_notice

    return _cached(world, "_matrix_notice", lambda: issue_notice(matrix_problem(world), timezone.now(), 5.0))
