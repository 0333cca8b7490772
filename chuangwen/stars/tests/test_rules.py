"""The star rules as seed 001 writes them: "每个方面达到9分以上获得一星", "七星以上为达标社区",
社区自荐 → 乡镇审查 → 县检查验收 by three different bodies, and 十星级 communities commended by
县委、县政府 — checked with the edge values."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from chuangwen.accounts.models import Membership, Role
from chuangwen.conftest import make_user
from chuangwen.core.errors import DomainError
from chuangwen.stars import services
from chuangwen.stars.models import Rating, RatingStatus, Stage, Title

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(world):
    """Community A's own admin, who fills in its self-assessment."""
    return make_user("community_admin_a", world.community_a, Role.UNIT_ADMIN)


def _scores(rating, actor, values):
    rows = list(rating.scores.order_by("aspect__seq"))
    entries = [services.ScoreInput(r.aspect_id, v) for r, v in zip(rows, values, strict=False)]
    return services.save_scores(rating, entries, actor)


def _accepted(world, community, values):
    rating = services.open_rating(world.campaign, world.community_a, 2026, community)
    rating = _scores(rating, community, values)
    rating = services.act(rating, "submit", community)
    rating = services.act(rating, "approve", world.unit_admin_a)
    return services.act(rating, "accept", world.office)


@pytest.mark.parametrize("value", ["8.999", "8.995", "8.9951", "9.01", "8.95"])
def test_a_score_with_more_digits_than_one_decimal_is_refused_not_rounded_into_a_star(
    world, community, value
):
    rating = services.open_rating(world.campaign, world.community_a, 2026, community)
    rating = _scores(rating, community, [9] * 9)
    last = rating.scores.order_by("aspect__seq").last()
    with pytest.raises(DomainError, match="at most one decimal"):
        services.save_scores(rating, [services.ScoreInput(last.aspect_id, value)], community)
    stored = Rating.objects.get(pk=rating.pk)
    assert stored.stars == 9 and stored.scores.get(pk=last.pk).self_score is None


def test_exactly_nine_earns_a_star_and_eight_point_nine_does_not(world, community):
    rating = _accepted(world, community, [9] * 9 + ["8.9"])
    assert (rating.stars, rating.title) == (9, Title.PASS)
    rating = services.open_rating(world.campaign, world.community_b, 2026, world.office)
    admin_b = make_user("community_admin_b", world.community_b, Role.UNIT_ADMIN)
    rating = _scores(rating, admin_b, ["9.0"] * 10)
    assert rating.stars == 10


def test_exactly_seven_stars_is_up_to_standard_and_six_is_not(world, community):
    assert _accepted(world, community, [9] * 7 + ["8.9"] * 3).title == Title.PASS
    other = make_user("community_admin_b", world.community_b, Role.UNIT_ADMIN)
    rating = services.open_rating(world.campaign, world.community_b, 2026, other)
    rating = _scores(rating, other, [9] * 6 + [8] * 4)
    rating = services.act(rating, "submit", other)
    rating = services.act(rating, "approve", make_user("street_b_admin", world.street_b, Role.UNIT_ADMIN))
    rating = services.act(rating, "accept", world.office)
    assert (rating.stars, rating.title, rating.stage) == (6, Title.NONE, None)


def test_a_draft_that_cannot_be_submitted_has_no_title_in_the_list_or_the_export(world, community):
    rating = services.open_rating(world.campaign, world.community_a, 2026, community)
    rating = _scores(rating, community, [10] * 9)  # one aspect left blank
    with pytest.raises(DomainError, match="Score every aspect"):
        services.act(rating, "submit", community)
    rating.refresh_from_db()
    assert (rating.stars, rating.title, rating.title_label) == (9, "", "Not submitted")
    office = world.client("office")
    page = office.get(reverse("stars:list"), {"year": 2026, "title": "pass"})
    assert list(page.context["page"]) == []
    listed = office.get(reverse("stars:list"), {"year": 2026}).content.decode()
    assert "Not submitted" in listed and "Up to standard (达标)</span>" not in listed
    response = office.get(reverse("stars:export"), {"year": 2026})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][2] == "Self-assessment (自荐) in progress" and rows[1][-1] == "Not submitted"


def test_a_submitted_rating_awaits_acceptance_without_a_title(world, community):
    rating = services.open_rating(world.campaign, world.community_a, 2026, community)
    rating = services.act(_scores(rating, community, [10] * 10), "submit", community)
    assert (rating.title, rating.title_label) == ("", "Not yet accepted")


def test_a_five_star_community_is_accepted_not_awarded_and_nothing_follows(world, community):
    rating = _accepted(world, community, [9] * 5 + [6] * 5)
    assert rating.status == RatingStatus.ACCEPTED
    assert rating.get_status_display() == "Inspected and accepted by the county (验收)"
    assert rating.title_label == "Not up to standard" and rating.stage is None
    with pytest.raises(DomainError, match="final"):
        services.act(rating, "commend", world.office, body="县委、县政府", document="x")


def test_the_street_admin_and_the_office_cannot_fill_a_communitys_self_assessment(world, community):
    rating = services.open_rating(world.campaign, world.community_a, 2026, world.unit_admin_a)
    first = rating.scores.first().aspect_id
    for outsider in (world.unit_admin_a, world.liaison_a, world.office):
        with pytest.raises(PermissionError):
            services.save_scores(rating, [services.ScoreInput(first, 9)], outsider)
        with pytest.raises(PermissionError):
            services.act(rating, "submit", outsider)
    assert services.save_scores(rating, [services.ScoreInput(first, 9)], community).stars == 1


def test_the_person_who_fills_in_a_stage_never_approves_it(world, community):
    # One person holding the street's admin role and the community's: may fill, never approve.
    both = make_user("both_hats", world.community_a, Role.LIAISON)
    Membership.objects.create(user=both, unit=world.street_a, role=Role.UNIT_ADMIN)
    rating = services.open_rating(world.campaign, world.community_a, 2026, both)
    rating = services.act(_scores(rating, both, [9] * 10), "submit", both)
    assert rating.stage == Stage.TOWNSHIP
    with pytest.raises(PermissionError):
        services.act(rating, "approve", both)
    # The office reviewing at the township stage may not then accept at the county's.
    last = rating.scores.order_by("aspect__seq").last()
    rating = services.save_scores(rating, [services.ScoreInput(last.aspect_id, "8.5")], world.office)
    rating = services.act(rating, "approve", world.office)
    with pytest.raises(PermissionError):
        services.act(rating, "accept", world.office)
    second_office = make_user("office_two", world.office_unit, Role.OFFICE_ADMIN)
    rating = services.act(rating, "accept", second_office)
    assert (rating.status, rating.stars, rating.title) == (RatingStatus.ACCEPTED, 9, Title.PASS)


def test_commendation_is_its_own_step_after_acceptance_with_the_body_and_document(world, community):
    rating = _accepted(world, community, [10] * 10)
    assert (rating.title, rating.stage, rating.commended_at) == (Title.TOP, Stage.COMMENDATION, None)
    with pytest.raises(DomainError, match="document"):
        services.act(rating, "commend", world.office, body="县委、县政府")
    office = world.client("office")
    page = office.get(reverse("stars:rating", args=[rating.pk]))
    assert page.context["commending"] and b'name="document"' in page.content
    office.post(
        reverse("stars:rating_action", args=[rating.pk]),
        {
            "action": "commend",
            "version": rating.version,
            "body": "县委、县政府",
            "document": "县委发〔2026〕12号",
        },
    )
    rating.refresh_from_db()
    assert rating.status == RatingStatus.COMMENDED and rating.commended_at
    assert (rating.commendation_body, rating.commendation_document) == ("县委、县政府", "县委发〔2026〕12号")
    assert rating.steps.last().action == "commend" and rating.stage is None
    shown = office.get(reverse("stars:rating", args=[rating.pk])).content.decode()
    assert "县委发〔2026〕12号" in shown


def test_the_threshold_compares_the_score_as_entered(world, community):
    services.save_setup(
        world.campaign,
        "8.75",
        10,
        7,
        [services.AspectInput(n) for n in services.DEFAULT_ASPECTS],
        world.office,
    )
    rating = services.open_rating(world.campaign, world.community_a, 2026, community)
    rating = _scores(rating, community, ["8.7"] * 5 + ["8.8"] * 5)
    assert rating.stars == 5 and rating.total == Decimal("87.5")
