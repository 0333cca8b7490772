"""Importing units and people from an office's Excel roster (单位及人员名册).

`import_units()` serves both `chuangwen import-units` and the upload page. It reads the
workbook (`core.excel.read_workbook` refuses what it cannot read, with a clear message),
recognises the sheet of units and the sheet of people by their headers, and checks every row
(`org.import_check`). The result carries counts, a preview of the first rows and every problem
with its sheet, row and column letter. With `commit=True` the check runs again inside one
transaction and everything is written there, or nothing when any row is wrong: an office must
never be left with half a roster.

Units are keyed by code, people by (unit, name, phone), so importing the same file twice
changes nothing the second time. Writes are bulk statements; the materialised path of every
unit whose ancestry changed is recomputed from the final tree before it is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.http import HttpRequest

from chuangwen.audit.services import log_action
from chuangwen.core.excel import SpreadsheetError, read_workbook
from chuangwen.core.text import normalize_name
from chuangwen.org.import_check import UNIT_FIELDS, Checker, Node
from chuangwen.org.import_result import Counts, ImportResult, Problem
from chuangwen.org.models import Person, Unit, UnitAlias

__all__ = ["Counts", "ImportResult", "Problem", "import_units", "refresh_statistics"]

_ANALYZE_AFTER = 500  # rows created by one import before the planner's statistics are refreshed


def import_units(
    source: str | Path | bytes | IO[bytes],
    *,
    commit: bool = False,
    actor: Any = None,
    request: HttpRequest | None = None,
    filename: str = "",
    max_bytes: int | None = None,
) -> ImportResult:
    """Check the units and people of an Excel file; with `commit`, import them atomically.

    One audit entry (`org.import`) summarises a committed import.
    """
    if not filename and isinstance(source, (str, Path)):
        filename = Path(source).name
    result = ImportResult(filename=filename)
    try:
        sheets = read_workbook(source, max_bytes=max_bytes)
    except SpreadsheetError as exc:
        result.file_error = str(exc)
        result.errors.append(Problem("", None, "", str(exc)))
        return result
    if not commit:
        Checker(sheets, result).check()
        return result
    with transaction.atomic():
        # Checked again inside the transaction, so what is written is what was checked.
        checker = Checker(sheets, result)
        checker.check()
        if result.errors:
            return result
        _write(checker)
        log_action(
            actor if actor is not None else "system",
            "org.import",
            changes={
                "file": filename,
                "units": result.units.as_dict(),
                "people": result.people.as_dict(),
                "aliases_new": result.aliases_new,
            },
            request=request,
            object_repr=filename or "import",
        )
        result.committed = True
        if result.units.new + result.people.new >= _ANALYZE_AFTER:
            transaction.on_commit(refresh_statistics)
    return result


def refresh_statistics() -> None:
    """Let the query planner see the organisation's new size after a bulk load.

    SQLite keeps no statistics until ANALYZE runs; without them it sorts every person to show
    the first fifty instead of walking the (unit, name, id) index. PostgreSQL's autovacuum
    would get there eventually; the lists are fast from the first request this way.
    """
    with connection.cursor() as cursor:
        for model in (Unit, UnitAlias, Person):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _write(checker: Checker) -> None:
    new_units = [n for n in checker.file_nodes if n.pk is None]
    created = Unit.objects.bulk_create(
        [Unit(code=n.code, path="", depth=0, **_unit_fields(n)) for n in new_units], batch_size=1000
    )
    for node, unit in zip(new_units, created, strict=True):
        if unit.pk is None:  # pragma: no cover - every supported backend returns bulk-insert ids
            raise RuntimeError("the database did not return the ids of the new units")
        node.pk = unit.pk
        checker.nodes_by_pk[unit.pk] = node
    _write_tree(checker, {id(n) for n in new_units})
    UnitAlias.objects.bulk_create(
        [
            UnitAlias(unit_id=n.pk, alias=alias, alias_key=normalize_name(alias))
            for n in checker.file_nodes
            for alias in n.new_aliases
        ],
        batch_size=1000,
    )
    Person.objects.bulk_create(
        [
            Person(name=p.name, phone=p.phone, position=p.position, unit_id=p.unit.pk)
            for p in checker.people
            if p.existing_id is None
        ],
        batch_size=2000,
    )
    Person.objects.bulk_update(
        [
            Person(pk=p.existing_id, position=p.position, is_active=True)
            for p in checker.people
            if p.action == "updated"
        ],
        ["position", "is_active"],
        batch_size=1000,
    )


def _unit_fields(node: Node) -> dict[str, Any]:
    """The unit's fields and the matching keys Unit.save() would compute (bulk writes bypass it)."""
    values = node.values()
    values["name_key"] = normalize_name(values["name"])
    values["short_name_key"] = normalize_name(values["short_name"])
    return values


def _write_tree(checker: Checker, new_ids: set[int]) -> None:
    """Set parents, and recompute the path of every unit from the final tree.

    Paths are derived top-down from the parent links, so a unit moved by the file carries its
    whole subtree (units not in the file included) to the new place in the same pass.
    """
    paths: dict[int, str] = {}

    def path_of(node: Node) -> str:
        chain = []
        current: Node | None = node
        while current is not None and current.pk not in paths:
            chain.append(current)
            current = current.parent
        prefix = paths[current.pk] if current is not None else "/"
        for item in reversed(chain):
            prefix = paths[item.pk] = f"{prefix}{item.pk}/"
        return paths[node.pk]

    rewritten: list[Unit] = []
    moved: list[Unit] = []
    for node in checker.nodes_by_pk.values():
        path = path_of(node)
        depth = path.count("/") - 2
        if node.row is not None and (id(node) in new_ids or node.changed):
            parent_id = node.parent.pk if node.parent else None
            rewritten.append(
                Unit(pk=node.pk, parent_id=parent_id, path=path, depth=depth, **_unit_fields(node))
            )
        elif path != node.db_path:
            moved.append(Unit(pk=node.pk, path=path, depth=depth))
    Unit.objects.bulk_update(
        rewritten, ["parent", "path", "depth", *UNIT_FIELDS, "name_key", "short_name_key"], batch_size=500
    )
    Unit.objects.bulk_update(moved, ["path", "depth"], batch_size=500)
