"""`chuangwen bench ledger` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench ledger` at full scale.
"""

from __future__ import annotations

import json

import pytest

from chuangwen.bench import ledger as ledger_bench


@pytest.mark.django_db
def test_the_ledger_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = ledger_bench.run({"scale": 0.001, "scratch": False})
    json.dumps(result, default=str)
    assert result["area"] == "ledger"
    assert result["data"]["problems"] == 1000 and result["data"]["accounts"] > 0
    for measure in ("year_end", "year_end_raw_sql", "brief", "brief_raw_sql"):
        assert result[measure]["p50_ms"] > 0
    assert set(result["verdicts"]) == {"year_end_seconds", "brief_seconds"} and isinstance(result["ok"], bool)
