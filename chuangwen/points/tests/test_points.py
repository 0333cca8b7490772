"""Points: seeding, positions in Chinese datums, editing, visibility, the map and the QR sheet."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.core import geo
from chuangwen.points.api import map_rows
from chuangwen.points.models import ChecklistItem, Point, PointType
from chuangwen.points.tests.fixtures import make_point

pytestmark = pytest.mark.django_db


def test_the_reference_point_types_and_checklists_are_seeded_on_migrate():
    assert PointType.objects.filter(code="NMSC", name="农贸市场(集贸市场)").exists()
    item = ChecklistItem.objects.get(point_type__code="ZCGD", number=7)
    assert item.check_mode == "count_per_distance"
    assert item.params == {"walk_m": 200, "min_count": 1}
    assert ChecklistItem.objects.get(point_type__code="ZCGD", number=1).scoring == "occurrences_abc"


def test_a_position_copied_from_amap_is_stored_as_wgs84_with_its_input_kept(world):
    gcj_lat, gcj_lng = geo.wgs84_to_gcj02(30.2741, 120.1551)
    client = world.client("office")
    response = client.post(
        reverse("points:new"),
        {
            "name": "松林菜市场",
            "point_type": PointType.objects.get(code="NMSC").pk,
            "unit": world.street_a.pk,
            "position_lat": gcj_lat,
            "position_lng": gcj_lng,
            "datum": "gcj02",
            "radius_m": 200,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    point = Point.objects.get(name="松林菜市场")
    assert geo.haversine_m(point.lat, point.lng, 30.2741, 120.1551) < 0.05
    assert (point.input_datum, point.input_lat, point.input_lng) == ("gcj02", gcj_lat, gcj_lng)
    assert AuditEntry.objects.filter(action="points.point.create", object_id=str(point.pk)).exists()


def test_a_point_with_an_absurd_position_is_refused_with_a_message(world):
    response = world.client("office").post(
        reverse("points:new"),
        {
            "name": "错误点位",
            "point_type": PointType.objects.get(code="SQ").pk,
            "unit": world.street_a.pk,
            "position_lat": 0,
            "position_lng": 0,
            "datum": "wgs84",
            "radius_m": 200,
        },
    )
    assert response.status_code == 200
    assert "0, 0" in response.content.decode()
    assert not Point.objects.filter(name="错误点位").exists()


def test_a_unit_admin_cannot_give_a_point_to_a_unit_outside_their_own(world):
    response = world.client("unit_admin_a").post(
        reverse("points:new"),
        {
            "name": "越权点位",
            "point_type": PointType.objects.get(code="SQ").pk,
            "unit": world.street_b.pk,
            "datum": "wgs84",
            "radius_m": 200,
        },
    )
    assert response.status_code == 200
    assert not Point.objects.filter(name="越权点位").exists()


def test_the_sibling_street_sees_none_of_street_a_points(world, field):
    make_point(world, name="柳岸公园", unit=world.street_b, type_code="GY")
    liaison_b = world.client("liaison_b")
    listing = liaison_b.get(reverse("points:list")).content.decode()
    assert "柳岸公园" in listing and "松林大道" not in listing
    assert liaison_b.get(reverse("points:detail", args=[field.point.pk])).status_code == 404
    rows = map_rows(world.liaison_b)
    assert [r[4] for r in rows] == ["柳岸公园"]


def test_someone_on_a_duty_roster_opens_the_point_page_from_another_unit(world, field):
    # duty_a belongs to community A, below street A's point: visible through the roster.
    page = world.client("duty_a").get(reverse("points:detail", args=[field.point.pk]))
    assert page.status_code == 200
    assert reverse("points:check_in", args=[field.shift.pk]) in page.content.decode()


def test_the_map_data_colours_points_by_their_latest_result(world):
    make_point(world, name="好", last_score=98.0, last_failed=0)
    make_point(world, name="中", last_score=80.0, last_failed=2)
    make_point(world, name="差", last_score=50.0, last_failed=5)
    make_point(world, name="未查")
    make_point(world, name="无坐标", lat=None, lng=None)
    data = json.loads(world.client("office").get("/api/points/map").content)
    status = {row[data["fields"].index("name")]: row[data["fields"].index("status")] for row in data["rows"]}
    assert status == {"好": "good", "中": "fair", "差": "poor", "未查": "none"}


def test_the_map_page_works_without_tiles_and_loads_no_inline_script(world, settings):
    settings.MAP_TILE_URL = ""
    html = world.client("liaison_a").get(reverse("points:map")).content.decode()
    assert 'data-tile-url=""' in html and "leaflet.markercluster.js" in html
    assert "<script>" not in html


def test_the_qr_sheet_has_one_code_per_point_opening_its_page(world, field):
    make_point(world, name="松林小区", type_code="XQ")
    html = world.client("liaison_a").get(reverse("points:qr_sheet")).content.decode()
    assert html.count("<svg") == 2
    assert "松林小区" in html and "松林大道" in html


def test_the_api_lists_only_visible_points(world, field):
    data = json.loads(world.client("liaison_a").get("/api/points/").content)
    assert [p["name"] for p in data["items"]] == ["松林大道"]
    assert json.loads(world.client("liaison_b").get("/api/points/").content)["count"] == 0


def test_a_checklist_item_is_edited_by_the_office_with_json_parameters(world):
    point_type = PointType.objects.get(code="ZCGD")
    item = point_type.items.get(number=7)
    url = reverse("points:item_edit", args=[point_type.pk, item.pk])
    response = world.client("office").post(
        url,
        {
            "number": 7,
            "text": item.text,
            "indicator_code": "Ⅲ-21",
            "check_mode": "count_per_distance",
            "params": '{"walk_m": 500, "min_count": 1}',
            "scoring": "pass_fail",
            "points": "2",
            "weight": "1.5",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.params == {"walk_m": 500, "min_count": 1} and float(item.weight) == 1.5
    bad = world.client("office").post(
        url,
        {
            "number": 7,
            "text": "x",
            "check_mode": "count_min",
            "params": "{walk: 500",
            "scoring": "pass_fail",
            "points": 1,
            "weight": 1,
        },
    )
    assert bad.status_code == 200 and "JSON" in bad.content.decode()


def test_checklist_items_link_to_the_current_evaluation_systems_indicators_by_code(world):
    from chuangwen.indicators.models import EvaluationSystem, Indicator
    from chuangwen.points.services import link_indicators

    system = EvaluationSystem.objects.create(name="2015版测评体系", campaign=world.campaign)
    roads = Indicator.objects.create(system=system, level=3, code="Ⅲ-57", name="城市道路")
    assert link_indicators(world.office) == ChecklistItem.objects.filter(indicator_code="Ⅲ-57").count() > 0
    assert ChecklistItem.objects.get(point_type__code="ZCGD", number=1).indicator == roads
    assert ChecklistItem.objects.get(point_type__code="ZCGD", number=7).indicator is None  # Ⅲ-21 not in it
    assert link_indicators(world.office) == 0  # nothing left to change
    response = world.client("office").post(reverse("points:link_indicators"))
    assert response.status_code == 302
