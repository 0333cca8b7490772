"""`chuangwen bench org` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench org` at full scale.
"""

from __future__ import annotations

import json

import pytest

from chuangwen.bench import org as org_bench

ROUTES = {"page org:people", "page org:units", "api /api/org/people", "api /api/org/units"}


@pytest.mark.django_db
def test_the_org_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    # scratch=False: run inside the test database rather than creating another one.
    result = org_bench.run({"scale": 0.002, "scratch": False, "repeat": 2})

    json.dumps(result)  # what the command prints
    assert result["area"] == "org" and result["scale"] == 0.002
    assert result["sizes"]["people"] == 100 and result["sizes"]["units"] >= 5
    assert set(result["routes"]) == {"liaison", "office"}
    for role in result["routes"].values():
        assert set(role) == ROUTES
        for measured in role.values():
            assert {"p50_ms", "p95_ms", "n"} <= set(measured["page"]) and measured["page"]["n"] == 2
            assert {"p50_ms", "p95_ms"} <= set(measured["raw_sql"])
            assert measured["raw_rows"] > 0
            assert {"value", "target", "ok"} == set(measured["p95"]) == set(measured["page_to_raw"])
            assert measured["floor_to_raw"] > 0
    assert set(result["framework_floor"]) == {"liaison", "office"}
    assert all(floor["n"] == 2 for floor in result["framework_floor"].values())
    imported = result["import"]
    assert imported["people"] == {"new": 100, "updated": 0, "unchanged": 0}
    assert imported["units"]["unchanged"] == result["sizes"]["units"]
    assert imported["reimport_people"] == {"new": 0, "updated": 0, "unchanged": 100}
    assert {"seconds", "peak_mb", "rss_before_mb", "rss_high_water_mb", "file_mb"} <= set(imported)
    assert set(result["targets"]) == {"p95_ms", "page_to_raw", "import_seconds", "import_peak_mb"}
    assert isinstance(result["ok"], bool)
