"""Load the demo district in one transaction; running it again writes nothing new."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from chuangwen.audit.services import log_action
from chuangwen.demo import (
    accounts,
    campaign,
    duty,
    indicators,
    inspections,
    materials,
    org,
    points,
    problems,
    scores,
    surveys,
    tasks,
    territory,
)
from chuangwen.demo.base import DemoContext
from chuangwen.demo.people_volunteers import load as load_volunteers

# Each area reads what the ones before it put in the context; a new area appends itself here.
# The capability areas come after `accounts`: their services record the demo users as actors.
AREAS = (
    org.load,
    territory.load,
    campaign.load,
    accounts.load,
    indicators.load,
    tasks.load,
    materials.load,
    points.load,
    inspections.load,
    problems.load,
    surveys.load,
    duty.load,
    scores.load,  # last: reads every input above
    load_volunteers,
)
from chuangwen.demo import places_data  # noqa: E402

AREAS = (*AREAS[:-1], places_data.load, AREAS[-1])


def load_demo() -> list[tuple[str, str, str]]:
    """Load (or bring up to date) the fictional district and return the demo logins as
    (username, password, Chinese role label)."""
    ctx = DemoContext(today=timezone.localdate())
    with transaction.atomic():
        for load in AREAS:
            load(ctx)
        created = {label: count for label, count in sorted(ctx.created.items()) if count}
        if created:
            # One summary entry: the demo is not a change made by a person through the product.
            log_action("system", "demo.load", ctx.campaign, {"created": created})
    return ctx.logins


from chuangwen.demo import rhythm_meetings  # noqa: E402

AREAS = (*AREAS, rhythm_meetings.load)  # meetings and credits (issue 16)
from chuangwen.demo import beat_briefings  # noqa: E402

AREAS = (*AREAS, beat_briefings.load)  # daily and weekly reports (issue 16)
