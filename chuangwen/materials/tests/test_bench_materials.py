"""`chuangwen bench materials` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench materials` at full scale.
"""

import json

import pytest

from chuangwen.bench import materials as materials_bench


@pytest.mark.django_db
def test_the_materials_benchmark_runs_at_a_tiny_scale_and_reports_every_measure():
    result = materials_bench.run({"scale": 0.002, "scratch": False, "repeat": 2})
    json.dumps(result, default=str)  # what the command prints
    assert result["area"] == "materials"
    lookup = result["lookup"]
    assert lookup["stored_hashes"] == 2000
    assert lookup["same_as_scan"] is True  # the index finds exactly what the scan finds
    assert lookup["found_by_index"] >= lookup["planted_within_radius"]
    assert {"p50_ms", "p95_ms"} <= set(lookup["index"]) and {"p50_ms", "p95_ms"} <= set(
        lookup["brute_force_scan"]
    )
    assert result["photo"]["photo_pixels"] == "4000x3000"
    assert {"value", "target", "ok"} == set(result["photo"]["p95_ms"])
    board = result["coverage"]
    assert board["units"] == 5 and board["requirements"] == 5 and board["cells"] == 25
    assert sum(board["states"].values()) == 25 and board["cells_same_as_aggregate"] is True
    assert isinstance(result["ok"], bool)
