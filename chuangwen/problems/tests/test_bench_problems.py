"""`chuangwen bench problems` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench problems` at full scale.
"""

from __future__ import annotations

import json

import pytest

from chuangwen.bench import problems as problems_bench
from chuangwen.problems.models import Problem


@pytest.mark.django_db
def test_the_problems_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    # scratch=False and one worker: run inside the test database (forked workers could not see it).
    result = problems_bench.run({"scale": 0.0002, "scratch": False, "repeat": 2, "workers": 1})

    json.dumps(result)  # what the command prints
    assert result["area"] == "problems"
    assert result["intake"]["api"]["failures"] == 0
    assert result["intake"]["api"]["problems"] == result["sizes"]["intake"] >= 10
    assert result["intake"]["raw_sql_same_rows"]["per_s"] > 0
    assert result["sizes"]["stored"] >= 200 + 2 * result["sizes"]["intake"]
    again = result["intake"]["api_with_volume_stored"]
    assert again["failures"] == 0 and again["problems"] == result["sizes"]["intake"]
    # The second intake run came after the count: everything it filed is stored too.
    assert Problem.objects.count() == result["sizes"]["stored"] + again["problems"]
    for name in (
        "inbox_query",
        "inbox_page",
        "inbox_raw_sql",
        "rates_by_unit_office",
        "rates_by_unit_street",
        "rates_raw_sql",
    ):
        assert {"p50_ms", "p95_ms", "n"} <= set(result["measured"][name])
    assert set(result["verdicts"]) == {"intake_per_s", "inbox_p95_ms", "rates_p95_ms"}
    assert isinstance(result["ok"], bool)
