import pytest

from chuangwen.org.models import Grid, Road
from chuangwen.problems import routing
from chuangwen.problems.models import RoutedBy
from chuangwen.problems.routing import PointInfo, contains, polygons
from chuangwen.problems.tests.factories import category

SQUARE = [[120.0, 30.0], [120.01, 30.0], [120.01, 30.01], [120.0, 30.01], [120.0, 30.0]]
HOLE = [[120.004, 30.004], [120.006, 30.004], [120.006, 30.006], [120.004, 30.006], [120.004, 30.004]]


def test_geojson_polygons_features_and_bare_rings_are_read():
    assert len(polygons({"type": "Polygon", "coordinates": [SQUARE]})) == 1
    assert len(polygons({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]}})) == 1
    assert len(polygons({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]})) == 2
    assert len(polygons(SQUARE)) == 1
    assert polygons({"type": "Point", "coordinates": [1, 2]}) == []
    assert polygons("garbage") == []


def test_a_point_in_a_hole_is_outside_the_polygon_and_an_edge_is_inside():
    polygon = [SQUARE, HOLE]
    assert contains(polygon, 30.002, 120.002)
    assert not contains(polygon, 30.005, 120.005)
    assert not contains(polygon, 30.02, 120.005)
    assert contains([SQUARE], 30.0, 120.005)


@pytest.mark.django_db
def test_the_smallest_grid_containing_the_point_wins(world):
    small = [[120.0, 30.0], [120.002, 30.0], [120.002, 30.002], [120.0, 30.002], [120.0, 30.0]]
    Grid.objects.create(
        name="街道大网格",
        code="GA",
        unit=world.street_a,
        polygon={"type": "Polygon", "coordinates": [SQUARE]},
    )
    Grid.objects.create(name="社区小网格", code="GB", unit=world.community_a, polygon=[small])
    result = routing.route(category(), 30.001, 120.001)
    assert result.unit_id == world.community_a.pk
    assert result.rule == RoutedBy.GRID
    assert routing.route(category(), 30.008, 120.008).unit_id == world.street_a.pk


@pytest.mark.django_db
def test_the_longest_road_name_in_the_text_wins(world):
    Road.objects.create(name="松林路", unit=world.street_a, chief_unit=world.street_a)
    Road.objects.create(name="松林北路", unit=world.street_a, chief_unit=world.department)
    assert routing.route(category(), text="松林北路 88 号门口").unit_id == world.department.pk
    assert routing.route(category(), text="松林路东").unit_id == world.street_a.pk


@pytest.mark.django_db
def test_a_registered_point_resolver_routes_before_grids_and_roads(world):
    Road.objects.create(name="松林路", unit=world.street_a, chief_unit=world.street_a)
    routing.register_point_resolver(
        lambda ref: PointInfo(world.department.pk, "松林市场", "农贸市场") if ref == "P1" else None
    )
    try:
        result = routing.route(category(), text="松林路", point_ref="P1")
        assert (result.unit_id, result.rule) == (world.department.pk, RoutedBy.POINT)
        assert routing.route(category(), text="松林路", point_ref="P2").rule == RoutedBy.ROAD
    finally:
        routing.register_point_resolver(None)


@pytest.mark.django_db
def test_without_any_rule_the_problem_goes_to_the_office_queue(world):
    result = routing.route(category(), 30.0, 120.0, "无名处")
    assert (result.unit_id, result.rule) == (None, RoutedBy.OFFICE)
