"""Reading the spreadsheets offices really have, and refusing the ones we cannot read, clearly.

`read_workbook()` checks the file by content (magic bytes) before any parser sees it, then
reads every sheet with python-calamine (fast, low memory), filling merged cells forward so a
value merged across rows or columns appears in each cell it covers. Cells come back as clean
text (half-width, single spaces) or as dates/numbers where the cell holds one.

`find_header()` locates the header row below any title rows, allowing two-row headers and
header synonyms; importers then address columns by canonical key.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from chuangwen.core.archives import ArchiveError, NotAZip, check_zip
from chuangwen.core.text import clean_cell, keep_text, normalize_name

ZIP_MAGIC = b"PK\x03\x04"
# OLE2 compound file: an old .xls, or an .xlsx that Excel encrypted with a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_CELLS = 5_000_000  # a sheet larger than this is refused rather than exhausting memory
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell: more was not typed in Excel


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet; the message is shown to the user as is."""


Cell = str | int | float | dt.date | dt.datetime | bool | None


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]  # rows[i][j] is the cell at spreadsheet row i+1, column j+1


@dataclass
class Header:
    """Where the header is and which column holds each canonical key."""

    row_index: int  # 0-based index of the last header row; data starts on the next row
    columns: dict[str, int]  # canonical key -> 0-based column index
    labels: dict[str, str] = field(default_factory=dict)  # canonical key -> header text as written


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how the user finds the column in Excel."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _load_bytes(source: str | Path | bytes | IO[bytes]) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    data = source.read()
    return data if isinstance(data, bytes) else bytes(data)


def sniff(data: bytes) -> str:
    """'xlsx', 'ole' (old .xls or an encrypted .xlsx) or 'unknown', from the first bytes."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "ole"
    return "unknown"


def _clean(value: Any) -> Cell:
    # Text is kept as written (full-width punctuation in a task or a requirement is the
    # office's text); cell_text() gives the half-width form that keys and names are read in.
    if isinstance(value, str):
        return keep_text(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


# The instructions and choice lists of an import template (core.import_template): an office
# uploads the filled-in template as it is, and their rows must never be read as data.
TEMPLATE_SHEETS = frozenset({"填写说明", "可选值"})


def read_workbook(source: str | Path | bytes | IO[bytes], max_bytes: int | None = None) -> list[Sheet]:
    """All sheets of an .xlsx (or legacy .xls) with merged cells forward-filled."""
    data = _load_bytes(source)
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if max_bytes is not None and len(data) > max_bytes:
        raise SpreadsheetError(
            _("The file is too large (%(size)d MB); the limit is %(limit)d MB.")
            % {"size": len(data) // 1024 // 1024, "limit": max_bytes // 1024 // 1024}
        )
    kind = sniff(data)
    if kind == "unknown":
        raise SpreadsheetError(
            _("This is not an Excel file (.xlsx). Save it as .xlsx in Excel and upload it again.")
        )
    if kind == "xlsx":
        # Before calamine inflates anything: a small file may unpack to gigabytes (a ZIP bomb).
        try:
            check_zip(data)
        except NotAZip as exc:
            raise SpreadsheetError(_("The file is damaged or not a valid Excel file.")) from exc
        except ArchiveError as exc:
            raise SpreadsheetError(str(exc)) from exc
        _check_extent(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise SpreadsheetError(
            _("The file is protected by a password. Remove the password and upload it again.")
        ) from exc
    except (CalamineError, ValueError, OSError) as exc:
        if kind == "ole":
            raise SpreadsheetError(
                _(
                    "The file is password-protected or in an old format. Remove the password, save it as .xlsx and upload it again."
                )
            ) from exc
        raise SpreadsheetError(_("The file is damaged or not a valid Excel file.")) from exc
    sheets = []
    try:
        for name in workbook.sheet_names:
            if name.strip() in TEMPLATE_SHEETS:
                continue
            sheet = workbook.get_sheet_by_name(name)
            if sheet.total_height * max(sheet.total_width, 1) > MAX_CELLS:
                raise SpreadsheetError(
                    _("Sheet “%(name)s” is too large; split it and import the parts.") % {"name": name}
                )
            # skip_empty_area=False keeps row numbers equal to Excel's, so errors can name them.
            rows = [[_clean(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            _check_cell_sizes(name, rows)
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            sheets.append(Sheet(name=name, rows=rows))
    except CalamineError as exc:
        raise SpreadsheetError(_("The file is damaged or not a valid Excel file.")) from exc
    finally:
        workbook.close()
    if not any(any(v not in ("", None) for v in row) for sheet in sheets for row in sheet.rows):
        raise SpreadsheetError(_("The file contains no data."))
    return sheets


# A cell or row reference in a sheet's XML: the `r` attribute of `<c r="XFD1048576">` or
# `<row r='1048576'>` (either quote, spaces around `=`). Any attribute named r counts, which
# is only ever stricter. Text cannot match: it holds no attributes.
_REF = re.compile(rb"""\sr\s*=\s*["']\s*([A-Za-z]*)(\d+)""")
_MAX_TAG = 16 * 1024 * 1024  # no real tag is this long; one that is could hide its reference


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper()[:8]:  # 8 letters already far past any limit
        number = number * 26 + ch - 64
    return number


def _extent(body: bytes, rows: int, columns: int) -> tuple[int, int]:
    found = _REF.findall(body)
    if not found:
        return rows, columns
    letters, digits = zip(*found, strict=True)  # in C: an import sheet has a million refs
    widest = max((_column_number(name) for name in set(letters) if name), default=0)
    return max(rows, max(map(int, digits))), max(columns, widest)


def _check_extent(data: bytes) -> None:
    """Refuse a sheet whose cells lie farther apart than MAX_CELLS allows, before calamine
    reads it: calamine makes each sheet a dense grid as large as its farthest cell, so a 1.5 KB
    file with cells in A1 and XFD1048576 asks for 512 GB and aborts the whole process (a Rust
    allocation failure cannot be caught). Every XML part is scanned in chunks (whichever part
    the workbook names as a sheet); check_zip() has already bounded what they unpack to."""
    too_large = SpreadsheetError(_("The file is damaged or not a valid Excel file."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".xml"):
                continue
            rows = columns = 0
            carry = b""
            with archive.open(info) as handle:
                while chunk := handle.read(1024 * 1024):
                    text = carry + chunk
                    # Scan up to the last tag start; that tag waits for the next chunk whole.
                    cut = text.rfind(b"<")
                    if cut == -1:
                        cut = len(text)
                    body, carry = text[:cut], text[cut:]
                    if len(carry) > _MAX_TAG:
                        raise too_large
                    rows, columns = _extent(body, rows, columns)
                rows, columns = _extent(carry, rows, columns)
            if rows * max(columns, 1) > MAX_CELLS:
                raise SpreadsheetError(
                    _("Sheet “%(name)s” is too large; split it and import the parts.")
                    % {"name": info.filename.rsplit("/", 1)[-1].removesuffix(".xml")}
                )


def _check_cell_sizes(name: str, rows: list[list[Cell]]) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise SpreadsheetError(
                    _(
                        "Cell %(cell)s of sheet “%(name)s” holds %(count)d characters; "
                        "a cell may hold at most %(limit)d."
                    )
                    % {
                        "cell": f"{column_letter(c)}{r + 1}",
                        "name": name,
                        "count": len(value),
                        "limit": MAX_CELL_CHARS,
                    }
                )


def _fill_merged(rows: list[list[Cell]], ranges: Iterable[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def find_header(
    rows: Sequence[Sequence[Cell]],
    synonyms: dict[str, Sequence[str]],
    required: Sequence[str],
    search_rows: int = 15,
) -> Header | None:
    """The first row (within `search_rows`) whose cells name every required key.

    A two-row header (a group title merged above sub-titles) is handled by also matching the
    text of the row above joined to the row's own text. Matching ignores spaces, punctuation
    and full/half-width differences.
    """
    keys = {key: [normalize_name(s) for s in names] for key, names in synonyms.items()}
    for index in range(min(search_rows, len(rows))):
        row = rows[index]
        above = rows[index - 1] if index > 0 else []
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        for col, value in enumerate(row):
            texts = [normalize_name(str(value or ""))]
            if col < len(above) and above[col] not in ("", None) and above[col] != value:
                texts.append(normalize_name(f"{above[col]}{value or ''}"))
            for key, names in keys.items():
                if key in columns:
                    continue
                if any(text and text in names for text in texts):
                    columns[key] = col
                    labels[key] = str(value or "")
                    break
        if all(key in columns for key in required):
            return Header(row_index=index, columns=columns, labels=labels)
    return None


def is_blank(row: Sequence[Cell]) -> bool:
    return all(v in ("", None) for v in row)


def cell(row: Sequence[Cell], header: Header, key: str) -> Cell:
    col = header.columns.get(key)
    if col is None or col >= len(row):
        return ""
    return row[col]


def cell_text(row: Sequence[Cell], header: Header, key: str) -> str:
    value = cell(row, header, key)
    return "" if value is None else clean_cell(value)
