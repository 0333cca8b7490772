"""`chuangwen bench volunteers` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench volunteers` at full scale.
"""

from __future__ import annotations

import json

import pytest

from chuangwen.bench import volunteers as volunteers_bench


@pytest.mark.django_db
def test_the_volunteers_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = volunteers_bench.run({"scale": 0.002, "scratch": False, "repeat": 2})
    json.dumps(result, default=str)
    assert result["area"] == "volunteers" and result["sizes"]["volunteers"] == 400
    for label in ("street", "district"):
        measured = result["unit_figures"][label]
        assert measured["volunteers"] > 0
        assert {"p50_ms", "p95_ms"} <= set(measured["api"]) and {"p50_ms", "p95_ms"} <= set(
            measured["raw_sql"]
        )
    assert result["volunteer_hours"]["records"] > 0
    assert result["import"]["created"] == 100 and result["import"]["raw_library_rows"] == 100
