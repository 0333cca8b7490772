"""Versioned rules, the office's inputs, and scores following their inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from chuangwen.audit.models import AuditEntry
from chuangwen.core.errors import DomainError
from chuangwen.inspections.models import Observation
from chuangwen.materials.models import CoverageCell
from chuangwen.scoring import hooks, services
from chuangwen.scoring.models import IndicatorScore, ScoreRun, ScoringConfig, ScoringState, Trigger
from chuangwen.scoring.tests.fixtures import scored

pytestmark = pytest.mark.django_db


def _values(config: ScoringConfig, **changes) -> dict:
    values = {f: getattr(config, f) for f in services.CONFIG_FIELDS}
    values.update(changes)
    return values


def test_editing_the_rules_writes_a_new_version_and_keeps_the_old(world):
    scored(world)
    first = services.current_config(world.campaign)
    old_run = services.recompute(world.campaign, draws=0)
    second = services.save_config(
        world.campaign,
        _values(first, weights={"default": {"materials": 0, "field": 100, "survey": 0, "department": 0}}),
        actor=world.office,
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.weights["default"]["materials"] == 25  # untouched
    new_run = services.recompute(world.campaign, draws=0)
    assert old_run.config == first and new_run.config == second
    # only field counts now: 0.99 of 3 → rate 0.33 → 80 % share, plus the minors' 20
    assert new_run.total == pytest.approx(80 * 0.33 + 20, abs=0.01)
    assert AuditEntry.objects.filter(action="scoring.config.create").exists()


def test_weights_can_differ_by_year_of_the_cycle(world):
    scored(world)
    config = services.current_config(world.campaign)
    year = str(world.campaign.year)
    config = services.save_config(
        world.campaign,
        _values(config, weights={"default": config.weights["default"], year: {"field": 1}}),
        actor=world.office,
    )
    assert config.weights_for(world.campaign.year)["field"] == 1.0
    assert config.weights_for(world.campaign.year)["materials"] == 0.0
    assert config.weights_for(1999)["materials"] == 25.0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"weights": {"default": {"nonsense": 1}}}, "Unknown method"),
        ({"weights": {"default": {"field": 0}}}, "not all zero"),
        ({"minors_share": Decimal("60"), "villages_share": Decimal("40")}, "leave a share"),
        ({"grade_cuts": {"A": 0.5, "B": 0.9, "C": 0.1}}, "0 ≤ C ≤ B ≤ A ≤ 1"),
        ({"bonus_rules": [{"points": 1}]}, "code and a name"),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_written(world, changes, message):
    config = services.current_config(world.campaign)
    with pytest.raises(DomainError, match=message):
        services.save_config(world.campaign, _values(config, **changes), actor=world.office)
    assert ScoringConfig.objects.filter(campaign=world.campaign).count() == 1


def test_a_department_evaluation_is_graded_by_the_bands(world):
    s = scored(world)
    services.save_department_evaluation(
        world.campaign, s.department, value=Decimal("98.5"), actor=world.office
    )
    run = services.recompute(world.campaign, draws=0)
    assert IndicatorScore.objects.get(run=run, indicator=s.department).grade == "A"


def test_a_department_evaluation_needs_a_value_or_a_grade(world):
    s = scored(world)
    with pytest.raises(DomainError, match="value"):
        services.save_department_evaluation(world.campaign, s.department, value=None, actor=world.office)
    with pytest.raises(DomainError, match="no grade bands"):
        services.save_department_evaluation(
            world.campaign, s.minors_item, value=Decimal("1"), actor=world.office
        )
    with pytest.raises(DomainError, match="not assessed by department"):
        services.save_department_evaluation(world.campaign, s.field, value=Decimal("1"), actor=world.office)


def test_an_inspection_result_queues_a_recompute_after_commit(world, django_capture_on_commit_callbacks):
    s = scored(world)
    with django_capture_on_commit_callbacks(execute=True):
        observation = Observation.objects.get(pk=s.observation_failed.pk)
        observation.result, observation.score, observation.failed = "pass", 1, False
        observation.save()
    run = ScoreRun.objects.get(campaign=world.campaign)
    assert run.trigger == Trigger.INPUT
    assert IndicatorScore.objects.get(run=run, indicator=s.field).grade == "A"
    assert ScoringState.objects.get(campaign=world.campaign).dirty_since is None


def test_a_material_approval_queues_a_recompute(world, django_capture_on_commit_callbacks):
    s = scored(world)
    with django_capture_on_commit_callbacks(execute=True):
        CoverageCell.objects.create(requirement=s.requirement, unit=world.street_b, satisfied=1)
    run = ScoreRun.objects.get(campaign=world.campaign)
    assert IndicatorScore.objects.get(run=run, indicator=s.materials).grade == "A"


def test_a_burst_of_changes_queues_one_recompute(world, settings):
    scored(world)
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False  # a real queue: the first change schedules, the rest find it pending
    try:
        settings.SCORING_DEBOUNCE_S = 60
        assert hooks.request_recompute(world.campaign.pk) is True
        assert hooks.request_recompute(world.campaign.pk) is False
        assert ScoringState.objects.get(campaign=world.campaign).dirty_since is not None
    finally:
        HUEY.immediate = True
    assert not ScoreRun.objects.exists()


def test_a_mark_whose_job_was_lost_is_claimed_again(world, settings):
    import datetime as dt

    scored(world)
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False
    try:
        settings.SCORING_DEBOUNCE_S = 60
        assert hooks.request_recompute(world.campaign.pk) is True
        # The worker died with the job: an hour later the next change queues a new one.
        ScoringState.objects.filter(campaign=world.campaign).update(
            dirty_since=timezone.now() - dt.timedelta(hours=1)
        )
        assert hooks.request_recompute(world.campaign.pk) is True
        assert hooks.request_recompute(world.campaign.pk) is False
    finally:
        HUEY.immediate = True


def test_a_survey_response_queues_a_recompute(world, django_capture_on_commit_callbacks):
    from chuangwen.surveys.models import Response

    s = scored(world)
    survey_round = s.questionnaire.rounds.first()
    with django_capture_on_commit_callbacks(execute=True):
        Response.objects.create(
            round=survey_round,
            unit=world.community_a,
            channel="enumerator",
            status="complete",
            idempotency_key="burst-1",
            submitted_at=timezone.now(),
        )
    assert ScoreRun.objects.filter(campaign=world.campaign, trigger=Trigger.INPUT).exists()


def test_a_negative_event_needs_a_note_and_can_be_withdrawn_once(world):
    s = scored(world)
    with pytest.raises(DomainError):
        services.record_negative_event(
            world.campaign, s.negative, occurred_on="2026-01-01", note=" ", actor=world.office
        )
    event = services.record_negative_event(
        world.campaign, s.negative, occurred_on="2026-01-01", note="突击迎检", actor=world.office
    )
    services.withdraw_negative_event(event, actor=world.office)
    with pytest.raises(DomainError):
        services.withdraw_negative_event(event, actor=world.office)


def test_a_bonus_needs_a_known_rule(world):
    with pytest.raises(DomainError, match="no bonus rule"):
        services.record_bonus(world.campaign, rule_code="nope", title="x", actor=world.office)
