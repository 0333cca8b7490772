"""Background jobs of the points app (huey)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=30)
def make_display_copies(photo_ids: list[int]) -> int:
    """Display copies of duty photos, made after the entry is saved (decoding is slow)."""
    from chuangwen.points.models import DutyLogPhoto
    from chuangwen.points.photos import ensure_display

    return sum(ensure_display(photo) for photo in DutyLogPhoto.objects.filter(pk__in=photo_ids, display=""))
