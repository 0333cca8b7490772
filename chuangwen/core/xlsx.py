"""The one way the product writes .xlsx: user text is always a string, never a formula.

Text typed by a citizen, a unit or an inspector ends up in ledgers offices open in Excel or WPS.
xlsxwriter's `write()` turns a string that starts with "=" into a live formula and one that
starts with "http://" into a hyperlink, so `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` in a problem
description would run on the office's computer (CSV/formula injection, OWASP). Every export
therefore opens its workbook with `workbook()`:

- strings are written as strings (no formulas, no URLs, no numbers guessed from text);
- a string that starts with a character a spreadsheet reads as the start of a formula
  (= + - @, tab, carriage return and their full-width forms) also gets Excel's "quote prefix"
  cell style, so it stays text even when somebody edits the cell and presses Enter; the cell's
  value is unchanged, so an export that is re-imported reads back exactly what was written;
- worksheet names are cleaned of the characters Excel forbids and made unique.

`write_table()` writes the simple one-sheet table most ledgers are.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

if TYPE_CHECKING:
    from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters that make Excel, WPS or LibreOffice read a typed cell as a formula (or DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_BAD_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


class SafeWorksheet(Worksheet):
    """A worksheet whose strings that look like formulas get the quote-prefix style."""

    quoted_format: Any = None  # set by SafeWorkbook: Format | None -> the quote-prefixed Format

    def _write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> Any:
        if string.startswith(FORMULA_STARTS) and self.quoted_format is not None:
            cell_format = self.quoted_format(cell_format)
        return super()._write_string(row, col, string, cell_format)


class SafeWorkbook(Workbook):
    """An xlsxwriter Workbook that never turns text into formulas or links (see the module)."""

    worksheet_class = SafeWorksheet

    def __init__(self, target: str | IO[bytes], options: dict[str, Any] | None = None) -> None:
        settings = {"constant_memory": True, "tmpdir": tempfile.gettempdir(), **(options or {})}
        # These three are not negotiable: they are why this class exists.
        settings.update(strings_to_formulas=False, strings_to_urls=False, strings_to_numbers=False)
        # Set before Workbook.__init__, which already calls add_format().
        self._properties: dict[int, dict[str, Any]] = {}
        self._quoted: dict[int | None, Format] = {}
        self._sheet_names: set[str] = set()
        super().__init__(target, settings)

    def add_format(self, properties: dict[str, Any] | None = None) -> Format:
        made = super().add_format(properties)
        self._properties[id(made)] = dict(properties or {})
        return made

    def quoted(self, cell_format: Format | None) -> Format:
        """The same look as `cell_format`, plus the quote prefix (made once per format)."""
        key = None if cell_format is None else id(cell_format)
        if key not in self._quoted:
            base = {} if cell_format is None else self._properties.get(key, {})
            self._quoted[key] = self.add_format({**base, "quote_prefix": True})
        return self._quoted[key]

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> SafeWorksheet:
        sheet = super().add_worksheet(self._sheet_name(name) if name is not None else None, SafeWorksheet)
        sheet.quoted_format = self.quoted
        return sheet

    def _sheet_name(self, name: str) -> str:
        """A name Excel accepts: no []:*?/\\, not wrapped in apostrophes, ≤ 31 characters, unique."""
        clean = str(name).translate(_BAD_SHEET_CHARS).strip().strip("'")[:31] or "Sheet"
        candidate, n = clean, 1
        while candidate.lower() in self._sheet_names:
            n += 1
            suffix = f" ({n})"
            candidate = clean[: 31 - len(suffix)] + suffix
        self._sheet_names.add(candidate.lower())
        return candidate


def workbook(target: str | IO[bytes], **options: Any) -> SafeWorkbook:
    """A new workbook for an export (constant memory unless `constant_memory=False`)."""
    return SafeWorkbook(target, options)


def write_table(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> tempfile.SpooledTemporaryFile:
    """An .xlsx with a bold header row, returned as an open temporary file at position 0
    (hand it to FileResponse, which closes it)."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller's response closes it
    book = workbook(out, in_memory=False)
    sheet = book.add_worksheet(title)
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, header in enumerate(headers):
        sheet.write_string(0, col, str(header), bold)
        sheet.set_column(col, col, max(10, min(40, len(str(header)) * 3)))
    for index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write(index, col, value)
    book.close()
    out.seek(0)
    return out


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A finished workbook as a download named `filename` (Chinese names are fine: the header
    carries an ASCII fallback and the UTF-8 name, RFC 6266)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type=XLSX_TYPE)
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    return response
