"""What an import of units and people found or did: counts, a preview and every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class Problem:
    """One thing wrong with the file, located as the user finds it in Excel."""

    sheet: str
    row: int | None  # the spreadsheet's row number (1-based); None for a whole sheet or file
    column: str  # column letter; "" when the problem is not in one cell
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.sheet}: {self.message}" if self.sheet else self.message
        where = _("sheet “%(sheet)s”, row %(row)d") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _(", column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def bump(self, action: str) -> None:
        setattr(self, action, getattr(self, action) + 1)

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ImportResult:
    """What an import found (dry run) or did (committed)."""

    filename: str = ""
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    units: Counts = field(default_factory=Counts)
    people: Counts = field(default_factory=Counts)
    aliases_new: int = 0
    unit_sheets: list[str] = field(default_factory=list)
    people_sheets: list[str] = field(default_factory=list)
    preview_units: list[dict[str, Any]] = field(default_factory=list)
    preview_people: list[dict[str, Any]] = field(default_factory=list)
    file_error: str = ""  # set when the file as a whole cannot be read
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "ok": self.ok,
            "committed": self.committed,
            "file_error": self.file_error,
            "sheets": {"units": self.unit_sheets, "people": self.people_sheets},
            "units": self.units.as_dict(),
            "people": self.people.as_dict(),
            "aliases_new": self.aliases_new,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "preview": {"units": self.preview_units, "people": self.preview_people},
        }
