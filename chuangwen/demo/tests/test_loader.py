"""The demo district: big enough to try every page, consistent, repeatable and invented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.accounts.scope import scoped
from chuangwen.audit.models import AuditEntry
from chuangwen.campaigns.models import Campaign, CommandPost, Phase, PhaseTask, WorkingGroup
from chuangwen.demo.accounts import ADMIN_LOGIN
from chuangwen.demo.campaign import WORKING_GROUPS
from chuangwen.demo.loader import load_demo
from chuangwen.indicators.models import EvaluationSystem, GradeBand, Indicator, IndicatorLevel, NegativeItem
from chuangwen.inspections.models import Observation, RoundPoint, RoundStatus
from chuangwen.inspections.models import Round as InspectionRound
from chuangwen.materials.models import CoverageCell, MaterialRequirement, Photo, ReviewAction, Submission
from chuangwen.meetings.models import Decision
from chuangwen.notifications.models import Notification
from chuangwen.org.models import (
    Adoption,
    AdoptionKind,
    Grid,
    Person,
    Road,
    RoadSection,
    Unit,
    UnitAlias,
    UnitKind,
)
from chuangwen.points.models import CheckIn, ChecklistItem, DutyLog, DutyRoster, DutyShift, Point, PointType
from chuangwen.problems.models import Problem, ProblemEvent, ProblemTally, Status, UnitCard
from chuangwen.problems.routing import find_grid, forget_grids
from chuangwen.surveys.analysis import Analysis
from chuangwen.surveys.models import Answer, Questionnaire, Response, ResponseStatus
from chuangwen.surveys.models import Round as SurveyRound
from chuangwen.tasks.models import ProgressReport, Task, TaskAssignment, TaskMilestone, TaskState

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
MODELS = (
    Unit, UnitAlias, Person, Grid, Road, RoadSection, Adoption,
    Campaign, Phase, PhaseTask, CommandPost, WorkingGroup, User, Membership,
)  # fmt: skip
# The capability data: a second load must not add a row to any of these.
CAPABILITY_MODELS = (
    EvaluationSystem, Indicator, GradeBand, NegativeItem, Task, TaskAssignment, TaskMilestone,
    ProgressReport, MaterialRequirement, Submission, Photo, ReviewAction, CoverageCell, PointType,
    ChecklistItem, Point, InspectionRound, RoundPoint, Observation, Problem, ProblemEvent, UnitCard,
    Questionnaire, SurveyRound, Response, Answer, DutyRoster, DutyShift, CheckIn, DutyLog,
    Notification,
)  # fmt: skip


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for the module inside a transaction rolled back at the end; each test
    runs in a savepoint inside it (the `db` fixture), so what a test changes is undone."""
    media = tmp_path_factory.mktemp("demo-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def logins(_demo, db, settings, tmp_path) -> list[tuple[str, str, str]]:
    settings.MEDIA_ROOT = str(tmp_path)  # files a test writes (a second load writes none)
    return _demo


def _snapshot() -> dict[str, list[tuple]]:
    snap: dict[str, Any] = {
        model.__name__: sorted(map(tuple, model.objects.values_list()))
        for model in MODELS
        if model is not User
    }
    snap["User"] = sorted(User.objects.values_list("username", "password", "display_name", "phone"))
    snap["Grid.staff"] = sorted(Grid.staff.through.objects.values_list("grid_id", "person_id"))
    snap["WorkingGroup.members"] = sorted(
        WorkingGroup.members.through.objects.values_list("workinggroup_id", "unit_id")
    )
    snap["counts"] = {model.__name__: model.objects.count() for model in CAPABILITY_MODELS}
    return snap


def test_it_loads_a_district_with_enough_streets_communities_departments_and_people(logins):
    units = Unit.objects
    district = units.get(kind=UnitKind.DISTRICT)
    assert district.parent.kind == UnitKind.CITY
    areas = units.filter(parent=district, kind__in=[UnitKind.STREET, UnitKind.TOWNSHIP])
    assert areas.count() >= 6
    assert {a.kind for a in areas} == {UnitKind.STREET, UnitKind.TOWNSHIP}
    assert units.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE], parent__in=areas).count() >= 30
    assert units.filter(kind=UnitKind.VILLAGE).exists()
    campaign = Campaign.objects.get(root_unit=district)
    departments = units.filter(kind=UnitKind.DEPARTMENT, parent=district).exclude(pk=campaign.office_unit_id)
    assert departments.count() >= 20
    for department in departments:
        assert 1 <= department.children.filter(kind=UnitKind.SECTION).count() <= 3, department
    assert campaign.office_unit.children.filter(name="督查组").exists()
    assert units.filter(kind=UnitKind.SCHOOL).count() >= 2
    assert units.filter(kind=UnitKind.ENTERPRISE).count() >= 2
    assert Person.objects.count() >= 150
    assert Person.objects.filter(position="网格员").exists()
    assert Person.objects.filter(unit__in=departments, position="联络员").count() == departments.count()


def test_units_are_found_by_the_names_spreadsheets_use(logins):
    bureau = Unit.objects.get(name="明澜区城市管理局")
    assert UnitAlias.objects.filter(unit=bureau).exists()
    for written in ("明澜区城市管理局", "区城管局", "城管局", "区城市管理局"):
        assert Unit.objects.find_by_name(written) == bureau
    assert Unit.objects.find_by_name("区创建办").kind == UnitKind.DEPARTMENT


def test_it_loads_grids_roads_with_road_chiefs_and_adoptions(logins):
    for community in Unit.objects.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE]):
        grids = community.grids.all()
        assert 2 <= len(grids) <= 4, community
        assert all(grid.staff.filter(position="网格员").exists() for grid in grids)
    assert Road.objects.count() >= 12
    assert not Road.objects.filter(chief_person=None).exists()
    assert Road.objects.filter(sections__isnull=False).distinct().count() >= 3
    assert not RoadSection.objects.filter(chief_person=None).exists()
    kinds = set(Adoption.objects.values_list("kind", flat=True))
    assert kinds == {AdoptionKind.UNIT_COMPOUND, AdoptionKind.CADRE_BUILDING, AdoptionKind.FRONTAGE}
    cadre = Adoption.objects.filter(kind=AdoptionKind.CADRE_BUILDING).first()
    assert cadre.adopter_person.unit == cadre.adopter_unit


def test_the_campaign_has_four_phases_a_command_structure_and_eight_working_groups(logins):
    today = timezone.localdate()
    campaign = Campaign.objects.current()
    assert campaign.year == today.year
    assert campaign.office_unit.kind == UnitKind.DEPARTMENT
    assert campaign.cycle_start <= campaign.year <= campaign.cycle_end
    phases = list(campaign.phases.order_by("seq"))
    assert [p.name for p in phases] == [
        "宣传发动、营造氛围",
        "突出重点、整体推进",
        "巩固提高、全面达标",
        "考核验收、迎检达标",
    ]
    for before, after in zip(phases, phases[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    assert all(p.lead_unit_id and 2 <= p.tasks.count() <= 4 for p in phases)
    assert [p.status(today) for p in phases].count("current") == 1
    assert campaign.current_phase(today) is not None
    assert 60 <= campaign.days_to_inspection(today) <= 120
    titles = list(campaign.command_posts.values_list("title", flat=True))
    assert titles == ["指挥长", "副指挥长", "副指挥长", "办公室主任"]
    groups = list(campaign.working_groups.all())
    assert [g.name for g in groups] == [name for name, *_ in WORKING_GROUPS]
    assert all(g.responsible_id and g.duties and g.members.exists() for g in groups)


def test_running_it_twice_changes_nothing(logins):
    before = _snapshot()
    entries = AuditEntry.objects.count()
    assert AuditEntry.objects.filter(action="demo.load").count() == 1
    assert load_demo() == logins
    assert _snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_every_role_has_a_demo_login_that_can_sign_in(logins):
    held = set(
        Membership.objects.filter(user__username__in=[u for u, _, _ in logins]).values_list("role", flat=True)
    )
    assert held == set(Role.values)
    for username, password, label in logins:
        assert label
        validate_password(password)
        user = User.objects.get(username=username)
        if username != ADMIN_LOGIN:
            assert user.person.name == user.display_name
        client = Client()
        assert client.login(request=HttpRequest(), username=username, password=password), username
        response = Client().post(reverse("accounts:login"), {"username": username, "password": password})
        assert response.status_code == 302, username


def test_the_office_login_is_no_superuser_and_only_the_admin_login_opens_the_admin_site(logins):
    office = User.objects.get(username="office")
    assert not office.is_superuser and not office.is_staff
    assert office.has_role(Role.OFFICE_ADMIN), "the office works through its role"
    assert [u for u, _, _ in logins if User.objects.get(username=u).is_staff] == [ADMIN_LOGIN]
    client = Client()
    client.force_login(office)
    assert client.get("/admin/").status_code == 302, "the admin site sends the office to its login"
    assert client.get(reverse("core:home")).status_code == 200
    client.force_login(User.objects.get(username=ADMIN_LOGIN))
    assert client.get("/admin/").status_code == 200


def test_the_sibling_street_liaison_sees_nothing_of_the_first_street(logins):
    liaison, sibling = User.objects.get(username="liaison"), User.objects.get(username="liaison_b")
    street = liaison.memberships.get().unit
    people_of_street = Person.objects.filter(unit__path__startswith=street.path)
    assert scoped(people_of_street, liaison).count() == people_of_street.count() > 0
    assert not scoped(people_of_street, sibling).exists()


def _assert_paths_consistent() -> None:
    units = {unit.pk: unit for unit in Unit.objects.all()}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else "/"
        assert unit.path == f"{parent_path}{unit.pk}/", unit
        assert unit.depth == unit.path.count("/") - 2


def test_the_unit_tree_paths_are_consistent(logins):
    _assert_paths_consistent()


def test_no_invented_name_is_taken_from_the_seed_plans(logins):
    if not SEEDS.is_dir():
        pytest.skip("the seed plans are not beside the repository")
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    places = Unit.objects.exclude(kind=UnitKind.SECTION)
    names = set(Person.objects.values_list("name", flat=True))
    names |= set(places.values_list("name", flat=True))
    names |= set(
        places.exclude(kind=UnitKind.DEPARTMENT).exclude(short_name="").values_list("short_name", flat=True)
    )
    names |= set(Road.objects.values_list("name", flat=True))
    names |= set(Grid.objects.values_list("name", flat=True))
    names |= set(Adoption.objects.values_list("target_name", flat=True))
    names |= set(Point.objects.filter(code__startswith="ML-P").values_list("name", flat=True))
    names |= set(DutyRoster.objects.values_list("name", flat=True))
    names |= set(
        Indicator.objects.filter(system__campaign__root_unit__code="ML").values_list("name", flat=True)
    )
    assert len(names) > 500
    assert sorted(name for name in names if name in text) == []


def test_loading_again_puts_back_a_demo_street_somebody_moved_and_keeps_paths_right(logins):
    from chuangwen.org.services import move_subtree

    street, sibling = Unit.objects.get(code="ML-S01"), Unit.objects.get(code="ML-S02")
    old = street.path
    street.parent = sibling
    street.save()
    move_subtree(old, street.path)
    load_demo()
    street.refresh_from_db()
    assert street.parent.kind == UnitKind.DISTRICT
    assert street.path == old
    _assert_paths_consistent()


def test_the_evaluation_system_has_three_levels_points_methods_bands_and_a_negative_list(logins):
    system = EvaluationSystem.objects.get(campaign=Campaign.objects.current())
    levels = {level: system.indicators.filter(level=level) for level in IndicatorLevel.values}
    assert 3 <= levels[1].count() <= 6 and 7 <= levels[2].count() <= 10 and levels[3].count() >= 25
    assert not levels[3].filter(points=None).exists()
    assert all(item.methods and item.parent.level == 2 for item in levels[3])
    assert {m for item in levels[3] for m in item.methods} >= {"materials", "department", "field", "survey"}
    assert GradeBand.objects.filter(indicator__system=system).values("indicator").distinct().count() >= 5
    assert {n.sanction for n in system.negative_items.all()} == {"deduct", "disqualify"}
    # Field checklist items point at the demo's Ⅲ items through the codes they name.
    assert ChecklistItem.objects.filter(indicator__system=system).count() >= 30


def test_tasks_have_lead_and_responsible_units_milestones_and_every_state(logins):
    tasks = Task.objects.filter(campaign=Campaign.objects.current())
    assert tasks.count() >= 15
    assert all(task.assignments.filter(role="lead").count() == 1 for task in tasks)
    assert tasks.filter(assignments__role="responsible").distinct().count() >= 15
    # A task decided at a meeting names its leader as the minutes do (the chair, as text).
    imported = tasks.exclude(pk__in=Decision.objects.exclude(task=None).values("task"))
    assert (
        tasks.filter(assignments__role="cooperating").exists() and not imported.filter(leader=None).exists()
    )
    assert TaskMilestone.objects.filter(task__in=tasks).exclude(month=None).exists()
    assert set(tasks.with_state().values_list("state", flat=True)) == set(TaskState.values)
    assert ProgressReport.objects.filter(task__in=tasks).count() >= 5


def test_material_filings_are_in_every_review_state_with_real_photos_and_coverage(logins):
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert {"approved", "sent_back", "first", "final"} <= statuses
    resubmitted = Submission.objects.get(version=2)
    assert resubmitted.previous.status == "sent_back" and not resubmitted.previous.is_current
    photos = Photo.objects.all()
    assert photos.count() >= 8 and all(p.content_type == "image/jpeg" and p.taken_at for p in photos)
    assert ReviewAction.objects.filter(decision="send_back").exists()
    for cell in CoverageCell.objects.all():
        current = Submission.objects.filter(requirement=cell.requirement, unit=cell.unit, is_current=True)
        assert cell.satisfied == current.filter(status="approved").count()
    assert MaterialRequirement.objects.count() >= 6


def test_points_lie_inside_the_territory_with_units_and_leaders(logins):
    forget_grids()
    points = Point.objects.filter(code__startswith="ML-P")
    assert points.count() >= 30
    assert PointType.objects.filter(points__in=points).distinct().count() >= 8
    for point in points:
        assert point.leader_id and point.unit_id, point
        assert find_grid(point.lat, point.lng) is not None, point


def test_an_inspection_round_has_observations_and_failed_items_became_problems(logins):
    round_ = InspectionRound.objects.get(campaign=Campaign.objects.current())
    assert round_.status == RoundStatus.OPEN
    visited = round_.round_points.filter(status="done")
    assert visited.count() >= 10 and round_.round_points.filter(status="todo").exists()
    failed = Observation.objects.filter(round_point__round=round_, failed=True)
    assert failed.count() >= 5 and Observation.objects.filter(round_point__round=round_).count() > 50
    assert not failed.filter(problem_id=None).exists()
    problem = Problem.objects.get(pk=failed.first().problem_id)
    assert problem.source == "inspection" and problem.point_ref and problem.unit_id
    assert RoundPoint.objects.filter(round=round_, failed_count__gt=0, score_rate__lt=100).exists()


def test_problems_exist_in_every_state_of_the_loop_with_an_overdue_one_carded(logins):
    statuses = set(Problem.objects.values_list("status", flat=True))
    wanted = {
        Status.REPORTED,
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.RECTIFYING,
        Status.SUBMITTED,
        Status.CLOSED,
    }
    assert wanted <= statuses
    assert Problem.objects.overdue().count() >= 2
    card = UnitCard.objects.get(color="yellow")
    assert card.problem.is_overdue() and card.problem.escalation == "yellow"
    assert Problem.objects.filter(status=Status.CLOSED, rework_count=1).exists()
    assert ProblemTally.objects.exists()
    closed = Problem.objects.filter(status=Status.CLOSED).first()
    assert list(closed.events.values_list("kind", flat=True))[-1] == "verified"
    assert closed.photos.filter(kind="after").exists()


def test_the_questionnaire_has_about_300_responses_and_rates_some_areas_below_the_line(logins):
    questionnaire = Questionnaire.objects.get(campaign=Campaign.objects.current())
    round_ = SurveyRound.objects.get(questionnaire=questionnaire)
    responses = Response.objects.filter(round=round_)
    assert 280 <= responses.count() <= 320
    assert responses.filter(status=ResponseStatus.SCREENED_OUT).exists()
    assert responses.values("unit").distinct().count() >= 20
    analysis = Analysis(questionnaire, [round_], User.objects.get(username="office"))
    rates = analysis.by_question()
    assert rates and all(rate.rate is not None for rate in rates)
    areas = analysis.by_area("satisfaction")
    assert any(area.below for area in areas) and not all(area.below for area in areas)


def test_duty_rosters_have_shifts_check_ins_one_flagged_and_log_entries(logins):
    assert DutyRoster.objects.count() >= 2
    assert DutyShift.objects.filter(people__isnull=False).exists()
    checkins = CheckIn.objects.all()
    assert checkins.count() >= 3 and checkins.filter(in_outside=True).count() == 1
    assert not checkins.filter(checked_out_at=None).exists()
    assert DutyLog.objects.count() >= 3


def test_every_capability_is_visible_to_the_first_street_and_not_to_its_sibling_where_scoped(logins):
    liaison, sibling = User.objects.get(username="liaison"), User.objects.get(username="liaison_b")
    street_a = Problem.objects.filter(unit__path__startswith=liaison.memberships.get().unit.path)
    assert scoped(street_a, liaison).count() == street_a.count() >= 5
    assert not scoped(street_a, sibling).exists()
    assert scoped(Point.objects.all(), liaison).exists()
    assert (
        Notification.objects.filter(user=liaison).exists()
        or Submission.objects.filter(submitted_by=liaison).exists()
    )


def test_a_leader_finds_a_computed_score_and_a_dashboard_snapshot(logins):
    from chuangwen.dashboard.models import Snapshot
    from chuangwen.scoring.models import ScoreRun
    from chuangwen.scoring.summary import dashboard_summary

    campaign = Campaign.objects.current()
    assert ScoreRun.objects.filter(campaign=campaign).count() == 1
    summary = dashboard_summary(campaign)
    assert summary is not None and 0 < summary["total"] <= summary["max"]
    assert summary["projection"] is not None and summary["league"]
    whole = Snapshot.objects.get(campaign=campaign, unit=None)
    assert whole.data["scores"]["computed"] is True


def test_the_telephone_check_is_graded_from_the_demos_12345_work_orders(logins):
    from chuangwen.indicators.models import Indicator
    from chuangwen.scoring.models import IndicatorScore

    campaign = Campaign.objects.current()
    indicator = Indicator.objects.get(system__campaign=campaign, code="Ⅲ-31")
    score = IndicatorScore.objects.filter(indicator=indicator).latest("id")
    phone = next(part for part in score.explain["parts"] if part["method"] == "phone")
    assert phone["earned"] is not None and phone["grade"] == "C"  # 1 of 2 due closed, against A ≥99%
    assert any(entry["kind"] == "hotline" and entry.get("open") == 1 for entry in phone["inputs"])


def test_no_demo_problem_is_expected_before_it_was_reported(logins):
    early = [p.pk for p in Problem.objects.exclude(deadline=None) if p.deadline < p.reported_at]
    assert early == []
