import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.audit.models import AuditEntry
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.org.models import Grid, Road
from chuangwen.problems import services
from chuangwen.problems.models import (
    Channel,
    EventKind,
    PhotoKind,
    Problem,
    RoutedBy,
    Source,
    Status,
    Urgency,
)
from chuangwen.problems.tests.factories import category, photo, problem_in_street_a

pytestmark = pytest.mark.django_db


def walk_to_submitted(world, problem):
    problem = services.accept(problem, world.liaison_a, version=problem.version)
    problem = services.start(problem, world.liaison_a, version=problem.version)
    return services.submit(
        problem, world.liaison_a, measures="已清理", photos=[photo((0, 200, 0))], version=problem.version
    )


def test_a_staff_report_with_a_known_unit_is_dispatched_at_once_with_a_deadline(world):
    problem = problem_in_street_a(world)
    assert problem.status == Status.DISPATCHED
    assert problem.unit == world.street_a
    assert problem.deadline > problem.dispatched_at
    assert problem.verify_unit == world.inspection_team  # the reporting inspector's team verifies
    assert list(problem.events.values_list("kind", flat=True)) == [EventKind.REPORTED, EventKind.DISPATCHED]


def test_a_report_without_any_routing_rule_waits_in_the_office_queue(world):
    problem = services.report(
        world.duty_a, category=category(), description="路边摊", source=Source.PATROL, address="无名小路"
    )
    assert problem.status == Status.REPORTED
    assert problem.unit is None
    assert problem.routed_by == RoutedBy.OFFICE
    assert problem.reporter_unit == world.community_a


def test_the_grid_containing_the_location_answers_for_the_problem(world):
    square = [[[119.9, 29.9], [120.1, 29.9], [120.1, 30.1], [119.9, 30.1], [119.9, 29.9]]]
    Grid.objects.create(
        name="一网格", code="G1", unit=world.community_a, polygon={"type": "Polygon", "coordinates": square}
    )
    problem = services.report(
        world.inspector,
        category=category(),
        description="占道",
        source=Source.INSPECTION,
        lat=30.0,
        lng=120.0,
    )
    assert problem.unit == world.community_a
    assert problem.routed_by == RoutedBy.GRID
    assert problem.grid.code == "G1"


def test_the_road_named_in_the_address_routes_to_its_road_chief_unit(world):
    Road.objects.create(name="松林路", unit=world.street_a, chief_unit=world.department)
    problem = services.report(
        world.inspector,
        category=category(),
        description="占道",
        source=Source.INSPECTION,
        address="松林路口东侧",
    )
    assert problem.unit == world.department
    assert problem.routed_by == RoutedBy.ROAD


def test_the_category_default_unit_is_the_last_rule_before_the_queue(world):
    cat = category("井盖缺损")
    cat.parent.default_unit = world.department
    cat.parent.save()
    problem = services.report(world.inspector, category=cat, description="井盖丢失", source=Source.PATROL)
    assert problem.unit == world.department
    assert problem.routed_by == RoutedBy.CATEGORY


def test_a_public_report_waits_for_the_office_even_when_a_unit_is_suggested(world):
    Road.objects.create(name="松林路", unit=world.street_a, chief_unit=world.street_a)
    problem = services.report(
        "public",
        category=category(),
        description="占道",
        source=Source.CITIZEN,
        channel=Channel.PUBLIC,
        address="松林路",
    )
    assert problem.status == Status.REPORTED
    assert problem.unit is None
    assert problem.suggested_unit == world.street_a
    assert problem.public_token and len(problem.public_token) >= 32


def test_a_retried_submission_with_the_same_key_is_stored_once(world):
    first = services.report(
        world.duty_a, category=category(), description="垃圾", source=Source.PATROL, idempotency_key="abc-1"
    )
    again = services.report(
        world.duty_a, category=category(), description="垃圾", source=Source.PATROL, idempotency_key="abc-1"
    )
    assert again.pk == first.pk
    assert again.replayed and not first.replayed
    assert Problem.objects.count() == 1


def test_a_major_category_or_an_empty_description_is_refused(world):
    with pytest.raises(DomainError):
        services.report(world.duty_a, category=category().parent, description="x", source=Source.PATROL)
    with pytest.raises(DomainError):
        services.report(world.duty_a, category=category(), description="  ", source=Source.PATROL)


def test_fix_at_once_problems_are_due_in_twenty_four_continuous_hours(world):
    problem = problem_in_street_a(world, urgency=Urgency.IMMEDIATE)
    assert problem.deadline - problem.dispatched_at == dt.timedelta(hours=24)


def test_the_full_loop_closes_a_problem_on_time_after_verification(world):
    problem = walk_to_submitted(world, problem_in_street_a(world))
    assert problem.status == Status.SUBMITTED
    problem = services.verify(problem, world.inspector, passed=True, note="整改到位", version=problem.version)
    assert problem.status == Status.CLOSED
    assert problem.on_time is True
    assert problem.closed_at is not None
    kinds = list(problem.events.values_list("kind", flat=True))
    assert kinds == ["reported", "dispatched", "accepted", "started", "submitted", "verified"]
    actions = set(AuditEntry.objects.filter(object_id=str(problem.pk)).values_list("action", flat=True))
    assert {"problems.problem.report", "problems.problem.accepted", "problems.problem.verified"} <= actions


def test_submitting_needs_measures_and_an_after_photo_of_this_round(world):
    problem = problem_in_street_a(world)
    problem = services.accept(problem, world.liaison_a, version=problem.version)
    with pytest.raises(DomainError):
        services.submit(problem, world.liaison_a, measures="已清理", version=problem.version)
    with pytest.raises(DomainError):
        services.submit(problem, world.liaison_a, measures="", photos=[photo()], version=problem.version)
    problem.refresh_from_db()
    assert problem.status == Status.ACCEPTED


def test_a_failed_verification_sends_it_back_and_counts_the_rework(world):
    problem = walk_to_submitted(world, problem_in_street_a(world))
    with pytest.raises(DomainError):
        services.verify(problem, world.inspector, passed=False, note="", version=problem.version)
    problem = services.verify(
        problem, world.inspector, passed=False, note="仍有垃圾", version=problem.version
    )
    assert problem.status == Status.RECTIFYING
    assert problem.rework_count == 1
    # The old after-photo belongs to round 0: a new one is needed.
    with pytest.raises(DomainError):
        services.submit(problem, world.liaison_a, measures="再次清理", version=problem.version)


def test_three_failed_verifications_put_the_problem_under_escalated_supervision(world):
    problem = walk_to_submitted(world, problem_in_street_a(world))
    for round_ in range(3):
        problem = services.verify(
            problem, world.inspector, passed=False, note="不合格", version=problem.version
        )
        if round_ < 2:
            problem = services.submit(
                problem, world.liaison_a, measures="再改", photos=[photo()], version=problem.version
            )
    assert problem.rework_count == 3
    assert problem.supervised
    assert problem.events.filter(kind=EventKind.SUPERVISED).count() == 1


def test_a_stale_version_is_refused_with_a_conflict_and_changes_nothing(world):
    problem = problem_in_street_a(world)
    seen = problem.version
    services.accept(problem, world.liaison_a, version=seen)
    with pytest.raises(ConflictError) as caught:
        services.return_to_office(problem, world.unit_admin_a, reason="不是我们的", version=seen)
    # The message names the problem and what it became, so the loser knows what happened.
    assert f"#{problem.pk}" in str(caught.value)
    assert str(Status.ACCEPTED.label) in str(caught.value)
    problem.refresh_from_db()
    assert problem.status == Status.ACCEPTED
    assert problem.unit == world.street_a


def test_an_action_in_the_wrong_state_is_a_domain_error_not_a_conflict(world):
    problem = problem_in_street_a(world)
    with pytest.raises(DomainError) as caught:
        services.start(problem, world.liaison_a, version=problem.version)
    assert not isinstance(caught.value, ConflictError)


def test_a_unit_returns_a_problem_with_a_reason_to_the_office_queue(world):
    problem = problem_in_street_a(world)
    with pytest.raises(DomainError):
        services.return_to_office(problem, world.liaison_a, reason=" ", version=problem.version)
    problem = services.return_to_office(problem, world.liaison_a, reason="属商务局", version=problem.version)
    assert problem.status == Status.RETURNED
    assert problem.unit is None
    assert problem.returned_from == world.street_a
    assert problem.events.last().note == "属商务局"


def test_a_forced_assignment_cannot_be_returned(world):
    problem = services.report(world.office, category=category(), description="无主问题", source=Source.PATROL)
    problem = services.dispatch(
        problem, world.office, unit=world.street_a, force=True, version=problem.version
    )
    with pytest.raises(DomainError):
        services.return_to_office(problem, world.liaison_a, reason="不是我们的", version=problem.version)


def test_returning_after_the_window_is_refused(world, settings):
    settings.PROBLEM_RETURN_WINDOW_HOURS = 0
    problem = problem_in_street_a(world)
    Problem.objects.filter(pk=problem.pk).update(dispatched_at=timezone.now() - dt.timedelta(days=3))
    with pytest.raises(DomainError):
        services.return_to_office(problem, world.liaison_a, reason="不是我们的", version=problem.version)


def test_the_office_reassigns_and_the_clock_restarts(world):
    problem = problem_in_street_a(world)
    problem = services.accept(problem, world.liaison_a, version=problem.version)
    problem = services.dispatch(problem, world.office, unit=world.street_b, version=problem.version)
    assert problem.status == Status.DISPATCHED
    assert problem.unit == world.street_b
    assert problem.accepted_at is None
    assert problem.events.last().kind == EventKind.REASSIGNED


def test_an_approved_extension_moves_the_deadline_and_resumes_the_work(world):
    problem = problem_in_street_a(world)
    problem = services.accept(problem, world.liaison_a, version=problem.version)
    until = problem.deadline + dt.timedelta(days=5)
    with pytest.raises(DomainError):
        services.request_extension(
            problem, world.liaison_a, until=problem.deadline, reason="材料未到", version=problem.version
        )
    problem = services.request_extension(
        problem, world.liaison_a, until=until, reason="材料未到", version=problem.version
    )
    assert problem.status == Status.EXTENSION_REQUESTED
    problem = services.decide_extension(problem, world.office, approve=True, version=problem.version)
    assert problem.status == Status.ACCEPTED
    assert problem.deadline == until


def test_a_refused_extension_needs_a_reason_and_keeps_the_deadline(world):
    problem = problem_in_street_a(world)
    deadline = problem.deadline
    problem = services.request_extension(
        problem, world.liaison_a, until=deadline + dt.timedelta(days=2), reason="忙", version=problem.version
    )
    with pytest.raises(DomainError):
        services.decide_extension(problem, world.office, approve=False, version=problem.version)
    problem = services.decide_extension(
        problem, world.office, approve=False, note="不批准", version=problem.version
    )
    assert problem.status == Status.DISPATCHED
    assert problem.deadline == deadline


def test_a_duplicate_is_merged_into_the_root_of_its_chain(world):
    original = problem_in_street_a(world)
    second = problem_in_street_a(world)
    third = problem_in_street_a(world)
    services.mark_duplicate(second, world.office, original=original, version=second.version)
    third = services.mark_duplicate(third, world.office, original=second, version=third.version)
    assert third.duplicate_of == original
    assert third.status == Status.DUPLICATE
    assert original.events.filter(kind=EventKind.MERGED).count() == 2
    with pytest.raises(DomainError):
        services.mark_duplicate(original, world.office, original=original, version=original.version)


def test_not_applicable_needs_a_reason_and_closes_the_problem(world):
    problem = problem_in_street_a(world)
    with pytest.raises(DomainError):
        services.mark_not_applicable(problem, world.office, reason="", version=problem.version)
    problem = services.mark_not_applicable(
        problem, world.office, reason="不属于创城范围", version=problem.version
    )
    assert problem.status == Status.NOT_APPLICABLE
    assert not problem.is_open


def test_photos_outside_a_transition_follow_the_state(world):
    problem = problem_in_street_a(world)
    with pytest.raises(DomainError):
        services.add_photos(problem, world.liaison_a, photos=[photo()], kind=PhotoKind.AFTER)
    problem = services.accept(problem, world.liaison_a, version=problem.version)
    saved = services.add_photos(problem, world.liaison_a, photos=[photo()], kind=PhotoKind.AFTER)
    assert saved[0].round == 0
    problem = services.submit(problem, world.liaison_a, measures="已整改", version=problem.version)
    assert problem.status == Status.SUBMITTED


def test_the_unit_hears_about_a_dispatch_after_commit(world, django_capture_on_commit_callbacks, mailoutbox):
    world.liaison_a.email = "a@example.org"
    world.liaison_a.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        problem = problem_in_street_a(world)
    assert callbacks, "nothing was queued for after the commit"
    from django.apps import apps

    if apps.is_installed("chuangwen.notifications"):
        from chuangwen.notifications.models import Notification

        assert Notification.objects.filter(user=world.liaison_a, url__contains=str(problem.pk)).exists()
    else:
        assert mailoutbox and "a@example.org" in mailoutbox[0].to
