"""A 12345 work order closed in the hotline system: closed here too, saying so."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.problems import tally
from chuangwen.problems.models import OPEN_STATUSES, EventKind, Problem, Source, Status
from chuangwen.problems.services.base import _expect, _lock, _record


@transaction.atomic
def close_from_hotline(
    problem: Problem | int,
    actor: Any,
    *,
    closed_at: dt.datetime | None = None,
    reply: str = "",
    request: HttpRequest | None = None,
) -> Problem:
    """Close an open 12345 problem because the hotline system reports its order 已办结.

    The hotline's word is the record (the citizen has been answered there), so no on-site
    verification is asked for; the timeline and the status note say where the closing came from.
    """
    problem = _lock(problem, None)
    _expect(problem, OPEN_STATUSES, _("closed"))
    from_status = problem.status
    closed_at = min(closed_at or timezone.now(), timezone.now())
    problem.status = Status.CLOSED
    problem.closed_at = max(closed_at, problem.reported_at)
    problem.on_time = problem.deadline is None or problem.closed_at <= problem.deadline
    note = _("Closed in the 12345 hotline system")
    problem.status_note = (f"{note}：{reply}" if reply else note)[:300]
    if problem.unit_id:
        tally.add_closed(problem)
    return _record(
        problem,
        actor,
        EventKind.HOTLINE_CLOSED,
        ["status", "closed_at", "on_time", "status_note"],
        from_status,
        reply,
        {
            "source": Source.HOTLINE_12345,
            "closed_at": problem.closed_at.isoformat(),
            "on_time": problem.on_time,
        },
        public=True,
        request=request,
    )
