"""The territory base layer: the GeoJSON endpoint's scope and content, and the boundary import."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.basemap import geojson, services
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Grid, Road
from chuangwen.shops.models import RoadLine

SQUARE_A = [[[120.00, 30.00], [120.01, 30.00], [120.01, 30.01], [120.00, 30.01], [120.00, 30.00]]]
SQUARE_B = [[[120.02, 30.00], [120.03, 30.00], [120.03, 30.01], [120.02, 30.01], [120.02, 30.00]]]


@pytest.fixture
def territory(world):
    grid_a = Grid.objects.create(
        name="松林一网格",
        code="G-A-1",
        unit=world.community_a,
        polygon={"type": "Polygon", "coordinates": SQUARE_A},
    )
    grid_b = Grid.objects.create(
        name="柳岸一网格",
        code="G-B-1",
        unit=world.community_b,
        polygon={"type": "Polygon", "coordinates": SQUARE_B},
    )
    Grid.objects.create(name="无边界网格", code="G-A-2", unit=world.community_a)
    road_a = Road.objects.create(name="松林路", unit=world.street_a, chief_unit=world.street_a)
    road_b = Road.objects.create(name="柳岸路", unit=world.street_b, chief_unit=world.street_b)
    RoadLine.objects.create(
        road=road_a, coordinates=[[120.0, 30.005], [120.01, 30.005]], length_m=960, is_main=True
    )
    RoadLine.objects.create(road=road_b, coordinates=[[120.02, 30.005], [120.03, 30.005]], length_m=960)
    return world, grid_a, grid_b


def names(response) -> set[tuple[str, str]]:
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return {(f["properties"]["kind"], f["properties"]["name"]) for f in data["features"]}


def test_the_office_gets_every_grid_boundary_and_road(territory):
    world, _a, _b = territory
    got = names(world.client("office").get(reverse("basemap:territory")))
    assert got == {("grid", "松林一网格"), ("grid", "柳岸一网格"), ("road", "松林路"), ("road", "柳岸路")}


def test_a_street_sees_only_its_own_grids_and_roads(territory):
    world, _a, _b = territory
    got = names(world.client("liaison_a").get(reverse("basemap:territory")))
    assert got == {("grid", "松林一网格"), ("road", "松林路")}
    got_b = names(world.client("liaison_b").get(reverse("basemap:territory")))
    assert got_b == {("grid", "柳岸一网格"), ("road", "柳岸路")}


def test_a_community_sees_its_grid_but_not_the_sibling_street(territory):
    world, _a, _b = territory
    got = names(world.client("duty_a").get(reverse("basemap:territory")))
    assert ("grid", "松林一网格") in got
    assert ("grid", "柳岸一网格") not in got and ("road", "柳岸路") not in got


def test_anonymous_visitors_are_sent_to_sign_in(territory):
    world, _a, _b = territory
    response = world.client("anonymous").get(reverse("basemap:territory"))
    assert response.status_code == 302


def test_geometries_are_geojson_polygons_and_lines(territory):
    world, _a, _b = territory
    data = world.client("liaison_a").get(reverse("basemap:territory")).json()
    by_kind = {f["properties"]["kind"]: f for f in data["features"]}
    assert by_kind["grid"]["geometry"] == {"type": "Polygon", "coordinates": SQUARE_A}
    assert by_kind["road"]["geometry"]["type"] == "LineString"
    assert by_kind["road"]["properties"]["main"] is True


def test_polygon_geometry_accepts_features_and_bare_rings():
    ring = SQUARE_A[0]
    assert geojson.polygon_geometry(
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": SQUARE_A}}
    )
    assert geojson.polygon_geometry(ring) == {"type": "Polygon", "coordinates": [ring]}
    assert geojson.polygon_geometry({"type": "Point", "coordinates": [1, 2]}) is None
    assert geojson.polygon_geometry(None) is None


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(code, coordinates):
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": coordinates},
    }


def test_importing_boundaries_stores_them_with_an_audit_entry(world):
    grid = Grid.objects.create(name="松林二网格", code="G-A-9", unit=world.community_a)
    result = services.import_grid_boundaries(collection(feature("G-A-9", SQUARE_A)), world.office)
    assert result.updated == ["G-A-9"]
    grid.refresh_from_db()
    assert grid.polygon == {"type": "Polygon", "coordinates": SQUARE_A}
    assert AuditEntry.objects.filter(action="grid.boundary_imported", object_id=str(grid.pk)).exists()


def test_a_wrong_feature_refuses_the_whole_file(world):
    grid = Grid.objects.create(name="松林二网格", code="G-A-9", unit=world.community_a)
    bad = collection(
        feature("G-A-9", SQUARE_A),
        feature("NOPE", SQUARE_A),
        feature("G-A-9", [[[120.0, 30.0], [120.1, 30.0]]]),
    )
    with pytest.raises(DomainError) as exc:
        services.import_grid_boundaries(bad, world.office)
    assert "2" in str(exc.value) and "3" in str(exc.value)
    grid.refresh_from_db()
    assert grid.polygon is None


def test_the_command_is_a_dry_run_until_commit(world, tmp_path):
    grid = Grid.objects.create(name="松林二网格", code="G-A-9", unit=world.community_a)
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps(collection(feature("G-A-9", SQUARE_A))), encoding="utf-8")
    call_command("import_boundaries", str(path))
    grid.refresh_from_db()
    assert grid.polygon is None
    call_command("import_boundaries", str(path), "--commit")
    grid.refresh_from_db()
    assert grid.polygon["type"] == "Polygon"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path), "--commit")


def test_the_problem_detail_page_carries_its_map(world):
    from chuangwen.problems import services as problem_services
    from chuangwen.problems.tests.factories import category

    problem = problem_services.report(
        world.office, category=category(), description="桥下堆物", source="patrol", lat=30.005, lng=120.005
    )
    html = world.client("office").get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert 'id="cw-problem-position"' in html
    assert reverse("basemap:territory") in html
    assert 'data-lat="30.0050000"' in html
