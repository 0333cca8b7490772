"""`chuangwen bench points` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench points` at full scale.
"""

from __future__ import annotations

import json

import pytest

from chuangwen.bench import points as points_bench


@pytest.mark.django_db
def test_the_points_benchmark_runs_at_a_tiny_scale_and_reports_every_measure(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    result = points_bench.run({"scale": 0.01, "scratch": False, "repeat": 2, "photo_size": (320, 240)})

    json.dumps(result)  # what the command prints
    assert result["area"] == "points" and result["sizes"]["points"] == 50
    for role in ("office", "liaison"):
        measured = result["map"][role]
        assert measured["rows"] > 0 and {"p50_ms", "p95_ms", "n"} <= set(measured["api"])
        assert {"p50_ms", "p95_ms"} <= set(measured["raw_sql"])
    assert result["map"]["liaison"]["rows"] < result["map"]["office"]["rows"]
    checklist = result["checklist"]
    assert (checklist["items"], checklist["photos"]) == (30, 10)
    assert checklist["service"]["n"] == 2 and {"p50_ms", "p95_ms"} <= set(checklist["raw"])
    draw = result["draw"]
    assert draw["candidates"] >= 50 and draw["drawn"] == draw["quota_total"] or draw["drawn"] > 0
    assert set(result["targets"]) == {"map_ms", "checklist_ms", "draw_ms"}
    assert isinstance(result["ok"], bool)
