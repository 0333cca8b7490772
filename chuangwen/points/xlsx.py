"""Writing simple .xlsx tables (`core.xlsx`: constant memory, text as text) and the import report shape."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chuangwen.core.xlsx import workbook


@dataclass
class Table:
    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    title: str = ""  # an optional title row above the header, as offices print them
    widths: Sequence[int] = ()


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    out = io.BytesIO()
    book = workbook(out, in_memory=True)
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    title_fmt = book.add_format({"bold": True, "font_size": 14})
    for table in tables:
        sheet = book.add_worksheet(table.name)
        for col, width in enumerate(table.widths):
            sheet.set_column(col, col, width)
        row_no = 0
        if table.title:
            sheet.write(0, 0, table.title, title_fmt)
            row_no = 1
        for col, header in enumerate(table.headers):
            sheet.write(row_no, col, str(header), bold)
        for row in table.rows:
            row_no += 1
            for col, value in enumerate(row):
                if value is None:
                    continue
                sheet.write(row_no, col, value if isinstance(value, (int, float)) else str(value))
    book.close()
    return out.getvalue()


@dataclass
class Issue:
    row: int  # spreadsheet row number as Excel shows it (0 = the file as a whole)
    column: str  # column letter, or "" when the row as a whole is wrong
    message: str
    sheet: str = ""


@dataclass
class ImportReport:
    """What an import found: rows to create/update and every error with its row and column."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, message: str, sheet: str = "") -> None:
        self.errors.append(Issue(row, column, message, sheet))

    def warn(self, row: int, column: str, message: str, sheet: str = "") -> None:
        self.warnings.append(Issue(row, column, message, sheet))
