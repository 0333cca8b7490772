"""Scores follow their inputs: a change to a material's coverage, an inspection result, a survey
response, a 部门评价 or a 12345 work order queues one debounced recompute of its campaign.

The receivers only register an on-commit callback (no query inside the saving transaction, so
the other apps' saves cost nothing more); after the commit, the campaign is marked dirty and a
job is queued only if none is pending, delayed by SCORING_DEBOUNCE_S so a burst of saves (an
inspector's whole checklist) gives one recompute. Tests run huey immediately and undelayed.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone

logger = logging.getLogger(__name__)
STALE_S = 600


def request_recompute(campaign_id: int) -> bool:
    """Mark the campaign dirty and queue the job unless one is already pending."""
    from huey.contrib.djhuey import HUEY

    from chuangwen.scoring.jobs import recompute_campaign
    from chuangwen.scoring.models import ScoringState

    delay = 0 if HUEY.immediate else int(getattr(settings, "SCORING_DEBOUNCE_S", 60))
    now = timezone.now()
    state, _created = ScoringState.objects.get_or_create(campaign_id=campaign_id)
    # A mark older than the delay plus STALE_S means its job was lost (a worker killed, a queue
    # flushed): claim it again rather than never recomputing this campaign.
    stale = now - timedelta(seconds=delay + STALE_S)
    claimed = (
        ScoringState.objects.filter(pk=state.pk)
        .filter(Q(dirty_since__isnull=True) | Q(dirty_since__lt=stale))
        .update(dirty_since=now)
    )
    if not claimed:
        return False  # a recompute is already queued; it will read this change too
    if delay:
        recompute_campaign.schedule((campaign_id,), delay=delay)
    else:
        recompute_campaign(campaign_id)
    return True


def _later(resolve: Any) -> None:
    def callback() -> None:
        try:
            campaign_id = resolve()
        except Exception:  # a deleted row or a half-set-up campaign must not break the save
            logger.exception("scoring: could not resolve the campaign of a changed input")
            return
        if campaign_id:
            request_recompute(campaign_id)

    transaction.on_commit(callback)


def _current_campaign_id() -> int | None:
    from chuangwen.campaigns.models import Campaign

    current = Campaign.objects.current()
    return current.pk if current else None


def on_coverage(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A material approved or sent back recounts its CoverageCell (materials.coverage)."""
    from chuangwen.materials.models import MaterialRequirement

    requirement_id = instance.requirement_id
    _later(
        lambda: (
            MaterialRequirement.objects.filter(pk=requirement_id)
            .values_list("task__campaign_id", flat=True)
            .first()
        )
    )


def on_observation(sender: Any, instance: Any, **kwargs: Any) -> None:
    from chuangwen.inspections.models import RoundPoint

    rp_id = instance.round_point_id
    _later(
        lambda: (
            RoundPoint.objects.filter(pk=rp_id).values_list("round__campaign_id", flat=True).first()
            or _current_campaign_id()
        )
    )


def on_response(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    from chuangwen.surveys.models import Round

    round_id = instance.round_id
    _later(
        lambda: Round.objects.filter(pk=round_id).values_list("questionnaire__campaign_id", flat=True).first()
    )


def on_department(sender: Any, instance: Any, **kwargs: Any) -> None:
    campaign_id = instance.campaign_id
    _later(lambda: campaign_id)


def on_problem(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A 12345 work order filed or moved on changes the telephone check's closure rate; other
    problems reach the score through the inspection results they came from."""
    from chuangwen.problems.models import Source

    if instance.source == Source.HOTLINE_12345:
        _later(_current_campaign_id)


def connect() -> None:
    from chuangwen.inspections.models import Observation
    from chuangwen.materials.models import CoverageCell
    from chuangwen.problems.models import Problem
    from chuangwen.scoring.models import DepartmentEvaluation
    from chuangwen.surveys.models import Response

    post_save.connect(on_coverage, sender=CoverageCell, dispatch_uid="scoring.coverage")
    post_save.connect(on_observation, sender=Observation, dispatch_uid="scoring.observation")
    post_save.connect(on_response, sender=Response, dispatch_uid="scoring.response")
    post_save.connect(on_department, sender=DepartmentEvaluation, dispatch_uid="scoring.department")
    post_save.connect(on_problem, sender=Problem, dispatch_uid="scoring.problem")
