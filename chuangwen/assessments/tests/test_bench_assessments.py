"""`chuangwen bench assessments` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench assessments` at full scale.
"""

import json

import pytest

from chuangwen.bench import assessments as assessments_bench


@pytest.mark.django_db
def test_the_assessments_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = assessments_bench.run({"scale": 0.002, "scratch": False, "repeat": 2})
    json.dumps(result, default=str)
    assert result["area"] == "assessments"
    assert result["data"]["units_assessed"] == 20 * 15 + 20 + 40
    assert result["data"]["lines"] > 0
    for key in ("compute_month", "compute_raw_sql_counts", "ranking_page", "ranking_raw_sql"):
        assert {"p50_ms", "p95_ms"} <= set(result[key])
    assert isinstance(result["ok"], bool)
