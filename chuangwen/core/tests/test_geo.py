"""Coordinate conversion against published pairs (eviltransform's test vectors) and distances."""

from __future__ import annotations

import pytest

from chuangwen.core import geo

# (wgs_lat, wgs_lng, gcj_lat, gcj_lng): the test vectors published with eviltransform.
WGS_GCJ = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]
# One position in all three datums, as published with the geotool project's tests.
TRIPLE_WGS = (30.6107779, 121.0917077)
TRIPLE_GCJ = (30.608604331756705, 121.09626935575027)
TRIPLE_BD = (30.61484572185035, 121.10271732371203)


@pytest.mark.parametrize(("wlat", "wlng", "glat", "glng"), WGS_GCJ)
def test_wgs84_to_gcj02_matches_the_published_pairs(wlat, wlng, glat, glng):
    lat, lng = geo.wgs84_to_gcj02(wlat, wlng)
    assert lat == pytest.approx(glat, abs=1e-9)
    assert lng == pytest.approx(glng, abs=1e-9)


@pytest.mark.parametrize(("wlat", "wlng", "glat", "glng"), WGS_GCJ)
def test_gcj02_to_wgs84_recovers_the_gps_position_within_a_centimetre(wlat, wlng, glat, glng):
    lat, lng = geo.gcj02_to_wgs84(glat, glng)
    assert geo.haversine_m(lat, lng, wlat, wlng) < 0.01


def test_the_forward_transforms_reproduce_the_published_triple():
    # geotool rounds a constant differently: the two agree to about 4 mm.
    assert geo.wgs84_to_gcj02(*TRIPLE_WGS) == pytest.approx(TRIPLE_GCJ, abs=1e-6)
    assert geo.gcj02_to_bd09(*TRIPLE_GCJ) == pytest.approx(TRIPLE_BD, abs=1e-9)


def test_a_baidu_position_converts_to_wgs84_within_a_centimetre():
    lat, lng = geo.to_wgs84(*TRIPLE_BD, geo.BD09)
    assert geo.haversine_m(lat, lng, *TRIPLE_WGS) < 0.01


def test_gcj02_to_bd09_and_back_is_the_identity_within_a_centimetre():
    lat, lng = geo.bd09_to_gcj02(*geo.gcj02_to_bd09(30.6086, 121.0963))
    assert geo.haversine_m(lat, lng, 30.6086, 121.0963) < 0.01


def test_the_gcj02_offset_is_hundreds_of_metres_in_china():
    wlat, wlng, glat, glng = WGS_GCJ[2]
    assert 300 < geo.haversine_m(wlat, wlng, glat, glng) < 700


def test_positions_outside_china_are_not_shifted():
    assert geo.wgs84_to_gcj02(51.5007, -0.1246) == (51.5007, -0.1246)
    assert geo.gcj02_to_wgs84(51.5007, -0.1246) == (51.5007, -0.1246)


def test_haversine_gives_the_known_distance_from_beijing_to_shanghai():
    # Tiananmen to the Bund: about 1,067 km on the great circle.
    distance = geo.haversine_m(39.9087, 116.3975, 31.2400, 121.4900)
    assert 1_060_000 < distance < 1_075_000


def test_haversine_of_one_thousandth_degree_of_latitude_is_about_111_metres():
    assert geo.haversine_m(30.0, 120.0, 30.001, 120.0) == pytest.approx(111.2, abs=0.2)
    assert geo.haversine_m(30.0, 120.0, 30.0, 120.0) == 0


def test_to_wgs84_rejects_an_unknown_datum():
    with pytest.raises(geo.PositionError):
        geo.to_wgs84(30.0, 120.0, "mars")


@pytest.mark.parametrize(
    ("lat", "lng"),
    [(None, 120.0), ("", ""), ("abc", "120"), (91, 120), (30, 181), (0, 0), ("nan", "1"), (0.0, 0.0000001)],
)
def test_parse_position_refuses_missing_or_absurd_positions_with_a_message(lat, lng):
    with pytest.raises(geo.PositionError) as info:
        geo.parse_position(lat, lng)
    assert str(info.value)


def test_parse_position_accepts_text_from_a_form():
    assert geo.parse_position(" 30.5 ", "120.25") == (30.5, 120.25)
