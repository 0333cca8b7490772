"""`chuangwen bench dashboard` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench dashboard` at full scale.
"""

import json

import pytest

from chuangwen.bench import dashboard as dashboard_bench


@pytest.mark.django_db
def test_the_dashboard_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = dashboard_bench.run({"scale": 0.001, "scratch": False, "repeat": 2})
    json.dumps(result, default=str)  # what the command prints
    assert result["area"] == "dashboard"
    assert result["sizes"]["problems"] >= 1000 and result["sizes"]["slices"] == 21
    assert len(result["refresh_seconds"]) == 2
    for name in ("leader_page", "leader_json", "liaison_page", "liaison_json", "raw_sql_whole"):
        assert result["reads"][name]["n"] == 2
    assert {"value", "target", "ok"} == set(result["checks"]["page_p95"])
    assert isinstance(result["ok"], bool)
