"""Writing a run's many rows with plain INSERTs (executemany in chunks).

A city run writes ~2,000 indicator rows and ~15,000 attribution rows; building model instances
for bulk_create costs more than the database does. JSON values go through the field's own
adaptation, so this works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

CHUNK = 5000


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT the rows (values in `columns` order) inside the caller's transaction."""
    fields = [model._meta.get_field(c) for c in columns]
    adapt = [f if f.get_internal_type() == "JSONField" else None for f in fields]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    written = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                [a.get_db_prep_save(v, connection) if a else v for a, v in zip(adapt, row, strict=True)]
            )
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
