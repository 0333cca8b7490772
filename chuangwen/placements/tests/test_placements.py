"""The 公益广告 inventory and the office's checks: gaps along main streets, hoarding shares,
placements due for replacement, requirements per point type, damaged placements as problems."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from chuangwen.placements import services
from chuangwen.placements.models import Carrier, Condition, Placement, Site
from chuangwen.placements.tests.fixtures import make_placement
from chuangwen.points.models import Point, PointType
from chuangwen.problems.models import Problem
from chuangwen.problems.tests.factories import categories
from chuangwen.shops.tests.fixtures import road_of_a

pytestmark = pytest.mark.django_db
M_PER_DEG_LNG = 96_358.0  # metres per degree of longitude at 30°N (the fixture's road)


def lng_at(metres: float) -> float:
    return 120.0 + metres / M_PER_DEG_LNG


def test_a_main_street_with_placements_far_apart_has_the_gaps_on_the_check(world):
    _grid, road, line = road_of_a(world)  # about 1927 m long
    for metres in (100, 450, 1500):
        make_placement(world, lng=lng_at(metres))
    found = services.gap_check(None, 500)
    assert [g.road_id for g in found] == [road.pk]
    gaps = found[0].gaps
    assert len(gaps) == 1  # 450 → 1500 m; 1500 → end is 427 m, within the rule
    assert gaps[0].start_m == pytest.approx(450, abs=2)
    assert gaps[0].end_m == pytest.approx(1500, abs=2)
    # Filling the stretch closes the gap.
    make_placement(world, lng=lng_at(900))
    assert len(services.gap_check(None, 500)[0].gaps) == 1  # 900 → 1500 m is still 600 m
    make_placement(world, lng=lng_at(1200))
    assert services.gap_check(None, 500)[0].gaps == []


def test_an_empty_main_street_is_one_gap_and_a_placement_off_the_road_does_not_count(world):
    _grid, road, line = road_of_a(world)
    services.save_placement(
        services.PlacementInput(
            carrier=Carrier.BOARD,
            theme="city",
            owner_unit=world.community_a,
            lat=30.002,
            lng=120.01,
            road=road,
        ),
        world.office,
    )  # 220 m north of the line
    gaps = services.gap_check(None, 500)[0].gaps
    assert len(gaps) == 1 and gaps[0].length_m == pytest.approx(line.length_m, abs=1)


def test_the_checks_page_and_api_show_the_gaps_within_the_users_scope(world):
    road_of_a(world)
    make_placement(world, lng=lng_at(100))
    body = world.client("liaison_a").get("/api/placements/checks/gaps").json()
    assert body[0]["gaps"][0]["start_m"] == pytest.approx(100, abs=2)
    assert world.client("liaison_b").get("/api/placements/checks/gaps").json() == []
    page = world.client("office").get(reverse("placements:checks")).content.decode()
    assert "松林路" in page and "cw-gap-data" in page


def test_a_hoarding_below_the_required_share_is_flagged(world):
    site = Site.objects.create(name="工地甲", owner_unit=world.community_a, hoarding_length_m=200)
    make_placement(world, carrier=Carrier.HOARDING, site=site, width_m=Decimal("40"))
    (share,) = services.hoarding_shares(Site.objects.all(), 30)
    assert share.share_pct == 20.0 and not share.ok
    make_placement(world, carrier=Carrier.HOARDING, site=site, width_m=Decimal("30"))
    (share,) = services.hoarding_shares(Site.objects.all(), 30)
    assert share.share_pct == 35.0 and share.ok


def test_only_a_hoarding_placement_belongs_to_a_site(world):
    site = Site.objects.create(name="工地乙", owner_unit=world.community_a, hoarding_length_m=100)
    with pytest.raises(Exception, match="hoarding"):
        make_placement(world, carrier=Carrier.WALL, site=site)


def test_damaged_faded_and_stale_placements_are_due_for_replacement(world):
    good = make_placement(world)
    stale = make_placement(world, content_until=dt.date.today() - dt.timedelta(days=1))
    faded = make_placement(world)
    Placement.objects.filter(pk=faded.pk).update(condition=Condition.FADED)
    due = set(services.due_for_replacement(Placement.objects.all()).values_list("pk", flat=True))
    assert due == {stale.pk, faded.pk}
    assert good.pk not in due
    page = world.client("liaison_a").get(reverse("placements:list"), {"due": "1"}).content.decode()
    assert f"/placements/{stale.pk}/" in page and f"/placements/{good.pk}/" not in page


def test_a_damaged_placement_found_on_a_check_becomes_one_problem_for_its_owner_unit(world):
    categories()
    placement = make_placement(world)
    client = world.client("duty_a")
    response = client.post(
        reverse("placements:condition", args=[placement.pk]),
        {"condition": "damaged", "note": "画面撕裂", "version": placement.version},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.condition == Condition.DAMAGED
    problem = Problem.objects.get(pk=placement.problem_id)
    assert problem.unit_id == world.community_a.pk
    assert "画面撕裂" in problem.description
    # Found damaged again while that problem is open: no second problem.
    services.record_condition(placement, Condition.DAMAGED, world.inspector)
    assert Problem.objects.count() == 1


def test_a_stale_condition_is_refused(world):
    placement = make_placement(world)
    response = world.client("office").post(
        f"/api/placements/placements/{placement.pk}/condition",
        {"condition": "good", "version": placement.version + 5},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_points_short_of_their_required_placements_are_listed(world):
    point_type = PointType.objects.create(code="T-BUS", name="公交站点测试")
    short = Point.objects.create(name="松林站", point_type=point_type, unit=world.community_a)
    enough = Point.objects.create(name="柳岸站", point_type=point_type, unit=world.community_a)
    services.save_requirement(world.campaign, point_type, 2, world.office)
    make_placement(world, point=short)
    make_placement(world, point=enough)
    make_placement(world, point=enough)
    broken = make_placement(world, point=short)
    Placement.objects.filter(pk=broken.pk).update(condition=Condition.DAMAGED)  # does not count
    found = services.requirement_shortfalls(world.campaign, Point.objects.all())
    assert [(s.point.pk, s.present, s.required) for s in found] == [(short.pk, 1, 2)]


def test_the_office_sets_the_gap_and_share_rules(world):
    client = world.client("office")
    response = client.post(
        reverse("placements:rules"), {"form": "rules", "max_gap_m": 300, "hoarding_share_pct": 40}
    )
    assert response.status_code == 302
    rules = services.rules_for(world.campaign)
    assert (rules.max_gap_m, rules.hoarding_share_pct) == (300, 40)


def test_units_add_a_placement_through_the_api_and_the_sibling_cannot_see_it(world):
    _grid, road, _line = road_of_a(world)
    response = world.client("liaison_a").post(
        "/api/placements/placements",
        {
            "carrier": "bus_shelter",
            "theme": "traffic",
            "owner_unit_id": world.community_a.pk,
            "lat": 30.0,
            "lng": 120.01,
            "road_id": road.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    pk = response.json()["id"]
    assert response.json()["road_position_m"] == pytest.approx(963.6, abs=2)
    assert world.client("liaison_b").get(f"/api/placements/placements/{pk}").status_code == 404
