"""`chuangwen bench surveys` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench surveys` at full scale.
"""

import json

import pytest

from chuangwen.bench import surveys as surveys_bench


@pytest.mark.django_db
def test_the_surveys_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = surveys_bench.run({"scale": 0.001, "scratch": False, "repeat": 2})
    json.dumps(result, default=str)  # what the command prints
    assert result["area"] == "surveys"
    assert (
        result["responses"] == 300 and result["answer_rows"] == 300 * 11
    )  # 11 answered questions, no free text
    rates = result["rates"]
    assert {"value", "target", "ok"} == set(rates["office_p95_ms"])
    assert {"p50_ms", "p95_ms"} <= set(rates["raw_sql_group_by"]) and rates["street_liaison_all_tables"][
        "n"
    ] == 2
    # 300 interviews × 7 rated questions, less the "don't know" answers left out of the rates.
    assert 0 < rates["counted_answers"] <= 300 * 7
    collection = result["collection"]
    assert collection["submissions"] == 20
    assert collection["api_statuses"] == [201] and collection["api_retry_status"] == 200
    assert collection["service_per_second_one_worker"] > 0 and collection["raw_insert_per_second"] > 0
    assert collection["service_per_second_4_workers"] > 0
    assert {"value", "target", "ok"} == set(collection["service_per_second"])
    assert collection["api_per_second_one_worker"] > 0
    assert {"value", "target", "ok"} == set(collection["api_per_second"])
    assert collection["api_processes"] is None  # the smoke test's data lives in its transaction
    assert isinstance(result["ok"], bool)
