"""Background jobs of inspections (huey): work that must not hold up the inspector's save.

Both are queued after the save commits. Decoding a 12-megapixel phone photo takes a large part
of a second on a modest server, so display copies and the photos handed to the problems app
are made here; the photo view still makes a missing display copy on demand, so pages never
depend on a worker having run.
"""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=30)
def make_display_copies(photo_ids: list[int]) -> int:
    from chuangwen.inspections.models import ObservationPhoto
    from chuangwen.points.photos import ensure_display

    return sum(
        ensure_display(photo) for photo in ObservationPhoto.objects.filter(pk__in=photo_ids, display="")
    )


@db_task(retries=2, retry_delay=60)
def file_problems(observation_ids: list[int], actor_id: int | None) -> int:
    from django.contrib.auth import get_user_model

    from chuangwen.inspections import problem_link

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return problem_link.file_problems(observation_ids, actor)
