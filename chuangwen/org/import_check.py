"""Checking a unit roster before anything is written (the dry run of `org.importing`).

`Checker` recognises the sheets, reads every row, resolves each unit's parent and each
person's unit against the file *and* the database, and records every problem with its sheet,
row and column letter. It holds the whole tree in memory (a city is a few thousand units), so
a parent may come after its children in the file and loops are found before writing.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from chuangwen.core.excel import Cell, Header, Sheet, cell, column_letter, find_header, is_blank
from chuangwen.core.text import clean_cell, normalize_name, normalize_phone
from chuangwen.org.import_columns import (
    PERSON_REQUIRED,
    PERSON_SYNONYMS,
    UNIT_REQUIRED,
    UNIT_SYNONYMS,
    guess_kind,
    parse_kind,
    split_aliases,
)
from chuangwen.org.import_result import Counts, ImportResult, Problem
from chuangwen.org.models import Person, Unit, UnitAlias, UnitKind

__all__ = ["Checker", "Counts", "ImportResult", "Node", "Problem"]

PREVIEW_ROWS = 10
# Unit fields an import may set (besides code and parent).
UNIT_FIELDS = ("name", "short_name", "kind", "contact_person", "contact_phone", "address")
_OPTIONAL = ("short_name", "contact_person", "contact_phone", "address")
MAX_LENGTH = {
    "code": 40,
    "name": 120,
    "short_name": 60,
    "contact_person": 60,
    "contact_phone": 40,
    "address": 200,
    "alias": 120,
    "person_name": 60,
    "position": 80,
}
_IN_CHUNK = 500  # ids per IN (…) when loading people: under every backend's parameter limit


@dataclass(eq=False)
class UnitRow:
    sheet: str
    row: int
    header: Header
    values: dict[str, str]  # canonical key -> cleaned cell text, for the columns the sheet has
    kind: str | None
    parent_ref: str
    aliases: list[str]


@dataclass(eq=False)
class Node:
    """A unit as it will be after the import: from the database, the file, or both."""

    code: str
    name: str
    short_name: str = ""
    pk: int | None = None
    db_parent_id: int | None = None
    db_path: str = ""
    db_values: dict[str, Any] = field(default_factory=dict)
    parent: Node | None = None
    row: UnitRow | None = None  # the row of the file that sets it; None when not in the file
    changed: bool = False
    bad: bool = False  # its row has a problem found after reading (parent, loop, alias)
    new_aliases: list[str] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        """Every field of UNIT_FIELDS after the import. A column the sheet lacks keeps what
        is recorded; a blank kind keeps the recorded kind or is guessed from the name."""
        values = dict(self.db_values) or dict.fromkeys(UNIT_FIELDS, "")
        values["name"] = self.name
        row = self.row
        if row is not None:
            for key in _OPTIONAL:
                if key in row.header.columns:
                    values[key] = row.values.get(key, "")
            if row.kind:
                values["kind"] = row.kind
        if not values.get("kind"):
            values["kind"] = guess_kind(self.name)
        return values


@dataclass(eq=False)
class PersonRow:
    sheet: str
    row: int
    name: str
    phone: str
    position: str
    unit: Node
    existing_id: int | None = None
    action: str = "new"


class Checker:
    """Reads and checks a workbook into nodes and people, filling in an ImportResult."""

    def __init__(self, sheets: Sequence[Sheet], result: ImportResult) -> None:
        self.sheets = sheets
        self.result = result
        self.nodes_by_code: dict[str, Node] = {}
        self.nodes_by_pk: dict[int, Node] = {}
        self.by_key: dict[str, list[Node]] = {}
        self.alias_owner: dict[str, Node] = {}
        self.file_nodes: list[Node] = []
        self.people: list[PersonRow] = []
        self._seen_codes: dict[str, tuple[str, int]] = {}
        self._suggestions: dict[str, list[str]] = {}
        self._names: list[str] | None = None

    def check(self) -> None:
        unit_parts: list[tuple[Sheet, Header]] = []
        people_parts: list[tuple[Sheet, Header]] = []
        for sheet in self.sheets:
            if all(is_blank(row) for row in sheet.rows):
                continue
            # People first: a roster of people also names units, never the other way round.
            header = find_header(sheet.rows, PERSON_SYNONYMS, PERSON_REQUIRED)
            if header is not None:
                people_parts.append((sheet, header))
                self.result.people_sheets.append(sheet.name)
                continue
            header = find_header(sheet.rows, UNIT_SYNONYMS, UNIT_REQUIRED)
            if header is not None:
                unit_parts.append((sheet, header))
                self.result.unit_sheets.append(sheet.name)
                continue
            self.result.warnings.append(
                Problem(sheet.name, None, "", _("Skipped: no header of units or people found."))
            )
        if not unit_parts and not people_parts:
            self.result.errors.append(
                Problem(
                    "",
                    None,
                    "",
                    _(
                        "No sheet of units or people found. A sheet of units needs the columns "
                        "编码 and 单位名称; a sheet of people needs 姓名 and 所属单位."
                    ),
                )
            )
            return
        self._load_units()
        for sheet, header in unit_parts:
            self._read_unit_sheet(sheet, header)
        self._index_names()
        self._resolve_tree()
        for sheet, header in people_parts:
            self._read_people_sheet(sheet, header)
        self._match_existing_people()
        self._count_and_preview()

    def _error(self, sheet: str, row: int, header: Header, key: str, message: str) -> None:
        col = header.columns.get(key)
        letter = column_letter(col) if col is not None else ""
        self.result.errors.append(Problem(sheet, row, letter, message))

    def _load_units(self) -> None:
        """Every unit of the database, in memory: a city's tree is a few thousand small rows."""
        fields = ("pk", "code", "parent_id", "path", *UNIT_FIELDS)
        for values in Unit.objects.values_list(*fields).iterator(chunk_size=5000):
            record = dict(zip(fields, values, strict=True))
            node = Node(
                code=record["code"],
                name=record["name"],
                short_name=record["short_name"],
                pk=record["pk"],
                db_parent_id=record["parent_id"],
                db_path=record["path"],
                db_values={key: record[key] for key in UNIT_FIELDS},
            )
            self.nodes_by_code[node.code] = node
            self.nodes_by_pk[record["pk"]] = node
        for node in self.nodes_by_pk.values():
            node.parent = self.nodes_by_pk.get(node.db_parent_id) if node.db_parent_id else None
        for alias_key, unit_id in UnitAlias.objects.values_list("alias_key", "unit_id"):
            self.alias_owner[alias_key] = self.nodes_by_pk[unit_id]

    def _phone(self, sheet: str, number: int, header: Header, key: str, raw: str) -> str | None:
        """The phone normalised, '' when blank, None (and an error) when it is not a number."""
        if not raw:
            return ""
        phone = normalize_phone(raw)
        if phone is None:
            self._error(
                sheet, number, header, key, _("“%(phone)s” is not a valid phone number.") % {"phone": raw}
            )
        return phone

    def _too_long(
        self, sheet: str, number: int, header: Header, key: str, value: str, limit_key: str
    ) -> bool:
        limit = MAX_LENGTH[limit_key]
        if len(value) <= limit:
            return False
        self._error(sheet, number, header, key, _("Longer than %(limit)d characters.") % {"limit": limit})
        return True

    def _read_unit_sheet(self, sheet: Sheet, header: Header) -> None:
        for index in range(header.row_index + 1, len(sheet.rows)):
            row = sheet.rows[index]
            if is_blank(row):
                continue
            number = index + 1
            values = {key: _text(row, header, key) for key in header.columns}
            code, name = values.get("code", ""), values.get("name", "")
            if not code and not name:
                self.result.warnings.append(
                    Problem(sheet.name, number, "", _("Ignored: the row has neither a code nor a name."))
                )
                continue
            bad = False
            if not name:
                self._error(sheet.name, number, header, "name", _("The unit name is missing."))
                bad = True
            if not code:
                self._error(sheet.name, number, header, "code", _("The unit code is missing."))
                bad = True
            elif code in self._seen_codes:
                first_sheet, first_row = self._seen_codes[code]
                message = _(
                    "Code “%(code)s” appears twice in the file (first on sheet “%(sheet)s”, row %(row)d)."
                ) % {"code": code, "sheet": first_sheet, "row": first_row}
                self._error(sheet.name, number, header, "code", message)
                bad = True
            for key in ("code", "name", *_OPTIONAL):
                bad |= self._too_long(sheet.name, number, header, key, values.get(key, ""), key)
            kind = parse_kind(values["kind"]) if values.get("kind") else None
            if values.get("kind") and kind is None:
                message = _(
                    "Unknown unit kind “%(kind)s” (use 市, 区/县, 街道, 乡镇, 社区, 村, 部门/局, 科室, "
                    "学校, 企事业单位 or 其他)."
                ) % {"kind": values["kind"]}
                self._error(sheet.name, number, header, "kind", message)
                bad = True
            phone = self._phone(sheet.name, number, header, "contact_phone", values.get("contact_phone", ""))
            if phone is None:
                bad = True
            elif "contact_phone" in values:
                values["contact_phone"] = phone
            aliases = split_aliases(values.get("aliases", ""))
            for alias in aliases:
                bad |= self._too_long(sheet.name, number, header, "aliases", alias, "alias")
            if code and code not in self._seen_codes:
                self._seen_codes[code] = (sheet.name, number)
                if bad and name and code not in self.nodes_by_code:
                    # Known by code and name, so this unit's people are not also reported as
                    # "unknown unit"; it is never written because the file has errors.
                    self.nodes_by_code[code] = Node(code=code, name=name)
            if bad:
                continue
            node = self.nodes_by_code.get(code)
            if node is None:
                node = self.nodes_by_code[code] = Node(code=code, name=name)
            node.name = name
            if "short_name" in values:
                node.short_name = values["short_name"]
            node.row = UnitRow(sheet.name, number, header, values, kind, values.get("parent", ""), aliases)
            self.file_nodes.append(node)

    def _index_names(self) -> None:
        """Name, short name and alias keys of every unit as it will be after the import."""
        for node in self.nodes_by_code.values():
            for key in {normalize_name(node.name), normalize_name(node.short_name)} - {""}:
                self.by_key.setdefault(key, []).append(node)
        for key, owner in self.alias_owner.items():
            if owner not in self.by_key.get(key, ()):
                self.by_key.setdefault(key, []).append(owner)
        for node in self.file_nodes:
            row = node.row
            assert row is not None
            own = {normalize_name(node.name), normalize_name(node.short_name)}
            for alias in row.aliases:
                key = normalize_name(alias)
                owner = self.alias_owner.get(key)
                if owner is node or key in own:
                    continue
                other = owner or next((n for n in self.by_key.get(key, ()) if n is not node), None)
                if other is not None:
                    message = _("Alias “%(alias)s” already names another unit, “%(other)s” (%(code)s).") % {
                        "alias": alias,
                        "other": other.name,
                        "code": other.code,
                    }
                    self._error(row.sheet, row.row, row.header, "aliases", message)
                    node.bad = True
                    continue
                node.new_aliases.append(alias)
                self.by_key.setdefault(key, []).append(node)

    def _resolve_tree(self) -> None:
        """Give each unit of the file its final parent, then refuse loops."""
        for node in self.file_nodes:
            row = node.row
            assert row is not None
            if not row.parent_ref:
                # Blank means "top level" for a new unit and "where it is" for an existing one:
                # an empty cell must not silently pull a whole subtree out of its district.
                continue
            parent, problem = self.resolve(row.parent_ref, exclude=node)
            if parent is None:
                self._error(row.sheet, row.row, row.header, "parent", problem)
                node.bad = True
            node.parent = parent
        for node in self.file_nodes:
            seen: set[int] = set()
            current: Node | None = node
            while current is not None and id(current) not in seen:
                seen.add(id(current))
                current = current.parent
            if current is node:
                row = node.row
                assert row is not None
                message = _("The parent units form a loop: “%(name)s” would end up below itself.") % {
                    "name": node.name
                }
                self._error(row.sheet, row.row, row.header, "parent", message)
                node.bad = True

    def resolve(self, ref: str, exclude: Node | None = None) -> tuple[Node | None, str]:
        """A unit by code, then by name, short name or alias; else None and why."""
        node = self.nodes_by_code.get(ref)
        if node is not None:
            if node is exclude:
                return None, _("A unit cannot be its own parent.")
            return node, ""
        matches = [n for n in self.by_key.get(normalize_name(ref), ()) if n is not exclude]
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            codes = "、".join(sorted(n.code for n in matches)[:5])
            return None, _(
                "Several units are called “%(ref)s” (codes %(codes)s); write the code instead."
            ) % {
                "ref": ref,
                "codes": codes,
            }
        message = _("Unknown unit “%(ref)s”.") % {"ref": ref}
        suggestions = self.suggest(ref)
        if suggestions:
            message += " " + _("Did you mean: %(names)s?") % {"names": "、".join(suggestions)}
        return None, message

    def suggest(self, ref: str) -> list[str]:
        """The closest known unit names (difflib), computed once per distinct reference."""
        if ref not in self._suggestions:
            if self._names is None:
                nodes = self.nodes_by_code.values()
                self._names = sorted({n.name for n in nodes} | {n.short_name for n in nodes if n.short_name})
            self._suggestions[ref] = difflib.get_close_matches(ref, self._names, n=3, cutoff=0.5)
        return self._suggestions[ref]

    def _read_people_sheet(self, sheet: Sheet, header: Header) -> None:
        seen: dict[tuple[int, str, str], int] = {}
        resolved: dict[str, tuple[Node | None, str]] = {}
        for index in range(header.row_index + 1, len(sheet.rows)):
            row = sheet.rows[index]
            if is_blank(row):
                continue
            number = index + 1
            name = _text(row, header, "name")
            unit_ref = _text(row, header, "unit")
            position = _text(row, header, "position")
            bad = False
            if not name:
                self._error(sheet.name, number, header, "name", _("The name is missing."))
                bad = True
            bad |= self._too_long(sheet.name, number, header, "name", name, "person_name")
            bad |= self._too_long(sheet.name, number, header, "position", position, "position")
            phone = self._phone(sheet.name, number, header, "phone", _text(row, header, "phone"))
            bad |= phone is None
            unit: Node | None = None
            if not unit_ref:
                self._error(sheet.name, number, header, "unit", _("The unit is missing."))
            else:
                if unit_ref not in resolved:
                    resolved[unit_ref] = self.resolve(unit_ref)
                unit, problem = resolved[unit_ref]
                if unit is None:
                    self._error(sheet.name, number, header, "unit", problem)
            if bad or unit is None or phone is None:
                continue
            key = (id(unit), name, phone)
            if key in seen:
                message = _("Ignored: the same person as row %(row)d.") % {"row": seen[key]}
                self.result.warnings.append(Problem(sheet.name, number, "", message))
                continue
            seen[key] = number
            self.people.append(PersonRow(sheet.name, number, name, phone, position, unit))

    def _match_existing_people(self) -> None:
        """Find each person already recorded in their unit (same name and phone)."""
        unit_ids = sorted({p.unit.pk for p in self.people if p.unit.pk is not None})
        existing: dict[tuple[int, str, str], tuple[int, str, bool]] = {}
        for start in range(0, len(unit_ids), _IN_CHUNK):
            rows = Person.objects.filter(unit_id__in=unit_ids[start : start + _IN_CHUNK]).values_list(
                "id", "unit_id", "name", "phone", "position", "is_active"
            )
            for pk, unit_id, name, phone, position, active in rows.iterator(chunk_size=5000):
                existing[(unit_id, name, phone)] = (pk, position, active)
        for person in self.people:
            hit = existing.get((person.unit.pk, person.name, person.phone)) if person.unit.pk else None
            if hit is not None:
                pk, position, active = hit
                person.existing_id = pk
                person.action = "unchanged" if position == person.position and active else "updated"

    def _count_and_preview(self) -> None:
        for node in self.file_nodes:
            if node.bad:  # counted and previewed are the rows that would be imported
                continue
            action = self._unit_action(node)
            self.result.units.bump(action)
            self.result.aliases_new += len(node.new_aliases)
            if len(self.result.preview_units) < PREVIEW_ROWS:
                row = node.row
                assert row is not None
                kind = node.values()["kind"]
                self.result.preview_units.append(
                    {
                        "sheet": row.sheet,
                        "row": row.row,
                        "action": action,
                        "code": node.code,
                        "name": node.name,
                        "kind": kind,
                        "kind_label": str(UnitKind(kind).label),
                        "parent": node.parent.name if node.parent else "",
                        "aliases": node.new_aliases,
                    }
                )
        for person in self.people:
            self.result.people.bump(person.action)
            if len(self.result.preview_people) < PREVIEW_ROWS:
                self.result.preview_people.append(
                    {
                        "sheet": person.sheet,
                        "row": person.row,
                        "action": person.action,
                        "name": person.name,
                        "phone": person.phone,
                        "position": person.position,
                        "unit": person.unit.name,
                    }
                )

    def _unit_action(self, node: Node) -> str:
        if node.pk is None:
            return "new"
        parent_pk = node.parent.pk if node.parent else None
        # A parent that is new in this file has no pk yet: comparing pks alone would call a
        # top-level unit moved under a new one "unchanged" (a district put under its new city).
        moved = parent_pk != node.db_parent_id or (node.parent is not None and node.parent.pk is None)
        node.changed = node.values() != node.db_values or moved or bool(node.new_aliases)
        return "updated" if node.changed else "unchanged"


def _text(row: Sequence[Cell], header: Header, key: str) -> str:
    """A cell as text. read_workbook() already cleaned the strings; only numbers (a phone typed
    as a number) and dates need converting, which spares a second pass over 50,000 rows."""
    value = cell(row, header, key)
    return value if isinstance(value, str) else clean_cell(value)
