"""Reference data shipped with the app: problem categories and the holiday calendar.

The loaders take the model classes as arguments so a data migration can pass its historical
models (apps.get_model) and the management command the live ones. Both are idempotent:
loading twice updates rows instead of duplicating them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
CATEGORIES_CSV = DATA / "problem_categories.csv"
HOLIDAYS_CSV = DATA / "holidays.csv"

KINDS = {"事件": "event", "部件": "component", "立行立改": "immediate"}
KIND_PREFIX = {"event": "E", "component": "C", "immediate": "I"}
UNITS = {"hours", "working_hours", "working_days"}


class SeedError(ValueError):
    """A row of a reference file cannot be loaded; the message names the line."""


def read_rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [
        {k.strip(): (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(io.StringIO("\n".join(lines)))
    ]


def load_categories(category_model: Any, text: str | None = None) -> dict[str, int]:
    """Create or update categories from a CSV with columns kind, major, minor, time_limit,
    time_unit, close_condition, source_note (the format of reference/problem_categories.csv).

    Codes are stable: the major's code is its kind prefix and a number in order of first
    appearance (E01), the minor's adds its own number (E01-02); an existing category keeps its
    code, so Open311 service codes survive a reload.
    """
    rows = read_rows(text if text is not None else CATEGORIES_CSV.read_text(encoding="utf-8"))
    created = updated = 0
    majors: dict[tuple[str, str], Any] = {}
    for number, row in enumerate(rows, start=2):
        order = number - 1
        kind = KINDS.get(row.get("kind", ""), row.get("kind", ""))
        if kind not in KIND_PREFIX:
            raise SeedError(f"line {number}: unknown kind {row.get('kind')!r}")
        major_name, minor_name = row.get("major", ""), row.get("minor", "")
        if not major_name or not minor_name:
            raise SeedError(f"line {number}: major and minor are required")
        unit = row.get("time_unit", "")
        if unit not in UNITS:
            raise SeedError(f"line {number}: time_unit must be one of {', '.join(sorted(UNITS))}")
        try:
            limit = int(row.get("time_limit", ""))
        except ValueError as exc:
            raise SeedError(f"line {number}: time_limit must be a whole number") from exc
        major = majors.get((kind, major_name))
        if major is None:
            major = category_model.objects.filter(parent=None, kind=kind, name=major_name).first()
            if major is None:
                n = category_model.objects.filter(parent=None, kind=kind).count() + 1
                major = category_model.objects.create(
                    kind=kind,
                    name=major_name,
                    code=_free_code(category_model, f"{KIND_PREFIX[kind]}{n:02d}"),
                    sort_order=order,
                )
                created += 1
            majors[(kind, major_name)] = major
        values = {
            "time_limit": limit,
            "time_unit": unit,
            "close_condition": row.get("close_condition", "")[:120],
            "note": row.get("source_note", "")[:200],
            "sort_order": order,
            "is_active": True,
        }
        minor = category_model.objects.filter(parent=major, kind=kind, name=minor_name).first()
        if minor is None:
            n = category_model.objects.filter(parent=major).count() + 1
            category_model.objects.create(
                parent=major,
                kind=kind,
                name=minor_name,
                code=_free_code(category_model, f"{major.code}-{n:02d}"),
                **values,
            )
            created += 1
        else:
            for key, value in values.items():
                setattr(minor, key, value)
            minor.save()
            updated += 1
    return {"created": created, "updated": updated}


def _free_code(category_model: Any, code: str) -> str:
    candidate, n = code, 1
    while category_model.objects.filter(code=candidate).exists():
        n += 1
        candidate = f"{code}.{n}"
    return candidate


def load_holidays(day_model: Any, text: str | None = None) -> dict[str, int]:
    """Create or update calendar days from a CSV with columns date, kind (holiday/workday), name."""
    rows = read_rows(text if text is not None else HOLIDAYS_CSV.read_text(encoding="utf-8"))
    created = updated = 0
    for number, row in enumerate(rows, start=2):
        try:
            day = dt.date.fromisoformat(row.get("date", ""))
        except ValueError as exc:
            raise SeedError(f"line {number}: date must be YYYY-MM-DD") from exc
        kind = row.get("kind", "")
        if kind not in ("holiday", "workday"):
            raise SeedError(f"line {number}: kind must be holiday or workday")
        _obj, was_created = day_model.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": row.get("name", "")[:40]}
        )
        created += was_created
        updated += not was_created
    return {"created": created, "updated": updated}
