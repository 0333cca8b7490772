"""`chuangwen bench duplicates` at a tiny scale: it runs end to end and reports every measure.

No timing is asserted here; the numbers are for `chuangwen bench duplicates` at full scale. The
recall and false-match figures do not depend on the scale: they are the bench's verdict."""

import json

import pytest

from chuangwen.bench import duplicates as duplicates_bench


@pytest.mark.django_db
def test_the_duplicates_benchmark_reports_recall_false_matches_and_lookup_time():
    result = duplicates_bench.run({"scale": 0.002, "scratch": False, "repeat": 2})
    json.dumps(result, default=str)  # what the command prints
    quality = result["quality"]
    assert quality["photos"] == len(duplicates_bench.SAMPLES)
    assert set(quality["by_transformation"]) == set(duplicates_bench.transformations())
    assert quality["recall"]["ok"] and quality["recall_pct"] > quality["recall_phash_only_pct"]
    assert quality["false_matches"]["ok"]
    lookup = result["lookup"]
    assert lookup["stored_photo_hashes"] == 2000 and lookup["probes_per_lookup"] == 16
    assert {"p50_ms", "p95_ms"} <= set(lookup["lookup_every_probe"])
    assert {"value", "target", "ok"} == set(lookup["p95_ms"])
