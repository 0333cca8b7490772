"""`chuangwen bench scoring` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench scoring` at full scale.
"""

import json

import pytest

from chuangwen.bench import scoring as scoring_bench


@pytest.mark.django_db
def test_the_scoring_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = scoring_bench.run({"scale": 0.001, "scratch": False, "draws": 200})
    json.dumps(result, default=str)  # what the command prints
    assert result["area"] == "scoring"
    assert result["sizes"]["indicators_stored"] > 100 and result["sizes"]["problems_stored"] == 1000
    assert result["sizes"]["answers"] == 300 * 5
    assert {"value", "target", "ok"} == set(result["verdicts"]["recompute_s"])
    assert result["recompute"]["raw_sql_rows"]["field"] > 0
    assert result["projection"]["draws"] == 200
    assert (
        result["projection"]["interval"][0]
        <= result["projection"]["mean"]
        <= result["projection"]["interval"][1]
    )
