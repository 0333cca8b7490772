"""`chuangwen bench bulletins` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench bulletins` at full scale.
"""

from __future__ import annotations

import json

import pytest

from chuangwen.bench import bulletins as bulletins_bench


@pytest.mark.django_db
def test_the_bulletins_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = bulletins_bench.run({"scale": 0.04, "scratch": False})
    json.dumps(result)  # what the command prints
    assert result["area"] == "bulletins"
    assert result["sizes"]["problems"] == 20 and result["sizes"]["photos_embedded"] == 8
    for stage in ("total", "gather", "scale_photos", "docx", "pdf"):
        assert result["product"][stage]["seconds"] > 0
    assert result["raw_library"]["rows"] == 20 and result["raw_library"]["pictures"] == 8
    assert set(result["verdicts"]) == {"bulletin_seconds"} and isinstance(result["ok"], bool)
