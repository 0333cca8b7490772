"""`chuangwen bench tasks` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench tasks` at full scale.
"""

import json

import pytest

from chuangwen.bench import tasks as tasks_bench


@pytest.mark.django_db
def test_the_tasks_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = tasks_bench.run({"scale": 0.001, "scratch": False, "repeat": 2})
    json.dumps(result, default=str)  # what the command prints
    assert result["area"] == "tasks"
    imported = result["import"]
    assert imported["rows"] == 20 and imported["tasks"] == 20 and imported["errors"] == 0
    assert imported["reimport_created"] == 0  # the same table again updates, never duplicates
    assert {"value", "target", "ok"} == set(imported["seconds"])
    board = result["board"]
    assert board["tasks_city_wide"] == 50
    assert board["page"]["n"] == 2 and {"p50_ms", "p95_ms"} <= set(board["raw_sql_page_and_count"])
    export = result["export"]
    assert export["tasks"] == 50 and export["bytes"] > 0
    assert {"seconds", "peak_mb"} <= set(export["raw_xlsxwriter"])
    assert isinstance(result["ok"], bool)
