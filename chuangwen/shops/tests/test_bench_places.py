"""`chuangwen bench places` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench places` at full scale.
"""

from __future__ import annotations

import json

import pytest

from chuangwen.bench import places as places_bench


@pytest.mark.django_db
def test_the_places_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = places_bench.run({"scale": 0.002, "scratch": False, "repeat": 2})
    json.dumps(result)
    assert result["area"] == "places" and result["sizes"]["shops"] == 200
    gaps = result["gap_check"]
    assert gaps["roads"] == result["sizes"]["roads"]
    assert gaps["gaps"] == gaps["raw_gaps"]  # the product and the numpy floor find the same gaps
    for role in ("grid_staff", "office"):
        measured = result["grid_list"][role]
        assert measured["rows"] > 0 and {"p50_ms", "p95_ms"} <= set(measured["api"])
        assert {"p50_ms", "p95_ms"} <= set(measured["raw_sql"])
