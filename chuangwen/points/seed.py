"""Default point types and checklists from the reference files shipped in `points/data/`.

Used by the data migration (a new install starts with the templates) and by
`chuangwen seed-checklists` (adds what is missing; never overwrites what the office edited).
Functions take the model classes so the migration can pass its historical models.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# Spellings in the reference files and in offices' spreadsheets → our check modes and scorings.
CHECK_MODE_ALIASES = {
    "observe_presence": "observe_presence",
    "presence": "observe_presence",
    "observe_absence": "observe_absence",
    "absence": "observe_absence",
    "count_per_distance": "count_per_distance",
    "count_min": "count_min",
    "min_count": "count_min",
    "rate_threshold": "rate_threshold",
    "rate": "rate_threshold",
    "phone_verification": "phone_verification",
    "phone": "phone_verification",
    "document_check": "document_check",
    "document": "document_check",
}
SCORING_ALIASES = {
    "pass_fail": "pass_fail",
    "occurrences_abc": "occurrences_abc",
    "occurrences": "occurrences_abc",
    "abc": "occurrences_abc",
    "deduction": "deduction",
    "deduct": "deduction",
}


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_reference(point_type_model: Any, item_model: Any) -> tuple[int, int]:
    """Create the reference types and items that do not exist yet; (types, items) created."""
    types_created = items_created = 0
    by_name = {}
    for order, row in enumerate(read_csv("point_types.csv"), start=1):
        point_type, created = point_type_model.objects.get_or_create(
            code=row["code"].strip(),
            defaults={
                "name": row["name"].strip(),
                "group": row["group"].strip(),
                "typical_checks": row["typical_checks"].strip(),
                "sort_order": order,
            },
        )
        types_created += created
        by_name[point_type.name] = point_type
    for row in read_csv("checklists.csv"):
        point_type = by_name.get(row["point_type"].strip())
        if point_type is None:
            continue
        _item, created = item_model.objects.get_or_create(
            point_type=point_type,
            number=int(row["item"]),
            defaults={
                "text": row["text"].strip(),
                "indicator_code": row["indicator_ref"].strip(),
                "check_mode": CHECK_MODE_ALIASES[row["check_mode"].strip().lower()],
                "params": json.loads(row["params"]) if row["params"].strip() else {},
                "scoring": SCORING_ALIASES[row["scoring"].strip().lower()],
                "points": Decimal("1"),
                "weight": Decimal("1"),
            },
        )
        items_created += created
    return types_created, items_created
