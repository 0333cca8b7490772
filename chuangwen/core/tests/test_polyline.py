"""Positions along a road line (core/polyline.py)."""

import math

import pytest

from chuangwen.core import polyline
from chuangwen.core.geo import haversine_m


def test_a_line_measures_like_the_haversine_distance():
    line = polyline.build([(120.0, 30.0), (120.01, 30.0), (120.01, 30.01)])
    expected = haversine_m(30.0, 120.0, 30.0, 120.01) + haversine_m(30.0, 120.01, 30.01, 120.01)
    assert line.length_m == pytest.approx(expected, rel=1e-3)


def test_a_point_projects_to_its_chainage_and_offset():
    line = polyline.build([(120.0, 30.0), (120.02, 30.0)])
    at, off = line.project(30.0009, 120.01)  # 100 m north of the middle
    assert at == pytest.approx(line.length_m / 2, abs=1.5)
    assert off == pytest.approx(100, abs=1.5)


def test_gaps_cover_the_start_and_the_end_of_the_line():
    found = polyline.gaps(2000, [600, 900], 500)
    assert [(g.start_m, g.end_m) for g in found] == [(0.0, 600), (900, 2000)]
    assert polyline.gaps(1000, [], 500)[0].length_m == 1000


def test_a_bad_line_is_refused_with_a_message():
    with pytest.raises(polyline.LineError):
        polyline.parse_coordinates({"type": "Point", "coordinates": [1, 2]})
    with pytest.raises(polyline.LineError):
        polyline.parse_coordinates([[1, 2]])
    with pytest.raises(polyline.LineError):
        polyline.parse_coordinates([[1, 2], [math.nan, 3]])


def test_point_at_returns_the_position_at_a_chainage():
    line = polyline.build([(120.0, 30.0), (120.02, 30.0)])
    lat, lng = polyline.point_at(line, line.length_m / 4)
    assert lat == pytest.approx(30.0, abs=1e-6) and lng == pytest.approx(120.005, abs=1e-5)
