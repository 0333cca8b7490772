"""`chuangwen bench xlsform` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted; the numbers are for the full run (docs/surveys.md).
"""

import json

import pytest

from chuangwen.bench import xlsform as xlsform_bench


@pytest.mark.django_db
def test_the_xlsform_benchmark_runs_and_reports_every_measure():
    result = xlsform_bench.run({"scale": 0.01, "scratch": False, "repeat": 2, "phone": False})
    json.dumps(result, default=str)
    assert result["questions"] == 200 and result["expressions"] >= 150
    server = result["server"]
    assert {"p50_ms", "p95_ms"} <= set(server["validate"]) and server["store_without_validation"]["n"] == 2
    assert {"value", "target", "ok"} == set(server["validate_p95_ms"])
    assert server["answer_rows_per_interview"] > 100
    assert isinstance(result["ok"], bool)
