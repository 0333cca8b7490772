"""Blank import templates: an .xlsx an office fills in and uploads back.

Every import offers one (a link on its page, `--template FILE` on its command). A template has
one sheet per kind of row with the headers the import recognises, one example row, data
validation (a drop-down) on the columns that take fixed values, and a 填写说明 sheet that says
what every column means. The choice lists live on a hidden 可选值 sheet: Excel limits a list
typed into a validation to 255 characters, a range has no such limit.

Headers stay Chinese whatever the interface language: they are what the imports match (and
what offices' own tables say); the explanations follow the interface language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from chuangwen.core.xlsx import XLSX_TYPE, workbook, xlsx_response

# read_workbook() skips sheets of these names (core.excel.TEMPLATE_SHEETS).
INSTRUCTIONS_SHEET = "填写说明"
CHOICES_SHEET = "可选值"
VALIDATED_ROWS = 2000  # rows below the header that get the drop-down lists
XLSX_CONTENT_TYPE = XLSX_TYPE  # the name other modules import


@dataclass(frozen=True)
class TemplateColumn:
    """One column: its header, what it holds, an example value and its fixed values if any."""

    header: str
    meaning: str
    example: Any = ""
    required: bool = False
    choices: Sequence[str] = ()
    # Several values in one cell (e.g. "材料审核、实地考察"): the list only warns then.
    several: bool = False
    width: int = 16


@dataclass(frozen=True)
class TemplateSheet:
    """A sheet of the template; `rows` replaces the one example row made of the examples."""

    name: str
    columns: Sequence[TemplateColumn]
    rows: Sequence[Sequence[Any]] = field(default_factory=tuple)

    def example_rows(self) -> list[list[Any]]:
        if self.rows:
            return [list(row) for row in self.rows]
        return [[column.example for column in self.columns]]


def template_xlsx(title: str, sheets: Sequence[TemplateSheet], notes: Sequence[str] = ()) -> bytes:
    """The template as .xlsx bytes: the data sheets, then 填写说明, then the hidden choices."""
    buffer = io.BytesIO()
    # The shared writer (text never becomes a formula); a template is small and written out of
    # row order, so not in constant-memory mode.
    book = workbook(buffer, in_memory=True, constant_memory=False)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = book.add_format(
        {"bold": True, "bg_color": "#FCE4D6", "font_color": "#9C0006", "border": 1, "text_wrap": True}
    )
    example = book.add_format({"font_color": "#7F7F7F", "italic": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})
    choice_columns: list[tuple[str, Sequence[str]]] = []

    for spec in sheets:
        sheet = book.add_worksheet(spec.name)
        for col, column in enumerate(spec.columns):
            sheet.set_column(col, col, column.width)
            sheet.write(0, col, column.header, required if column.required else header)
            if column.meaning:
                sheet.write_comment(0, col, column.meaning, {"x_scale": 2, "y_scale": 1.5})
        for r, row in enumerate(spec.example_rows(), start=1):
            for col, value in enumerate(row):
                if value not in ("", None):
                    sheet.write(r, col, value, example)
        sheet.freeze_panes(1, 0)
        for col, column in enumerate(spec.columns):
            if not column.choices:
                continue
            choice_columns.append((column.header, column.choices))
            letter = _letter(len(choice_columns) - 1)
            source = f"='{CHOICES_SHEET}'!${letter}$2:${letter}${len(column.choices) + 1}"
            sheet.data_validation(
                1,
                col,
                VALIDATED_ROWS,
                col,
                {
                    "validate": "list",
                    "source": source,
                    "error_type": "information" if column.several else "stop",
                    "input_title": column.header[:32],
                    "input_message": _("Choose from the list.")[:255],
                    "error_title": column.header[:32],
                    "error_message": (
                        _("Choose one of the listed values: %(values)s")
                        % {"values": "、".join(column.choices)}
                    )[:255],
                },
            )

    notes_sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    notes_sheet.set_column(0, 0, 14)
    notes_sheet.set_column(1, 1, 18)
    notes_sheet.set_column(2, 2, 8)
    notes_sheet.set_column(3, 3, 60)
    notes_sheet.set_column(4, 4, 40)
    notes_sheet.write(0, 0, title, bold)
    line = 1
    for note in [
        _(
            "Fill in the sheets in this file and upload it as it is; the grey row is an example: replace or delete it."
        ),
        _(
            "The headers (first row) must stay as they are; columns may be left out or moved, except the required ones (red)."
        ),
        *notes,
    ]:
        notes_sheet.merge_range(line, 0, line, 4, note, wrap)
        notes_sheet.set_row(line, 30)
        line += 1
    line += 1
    for col, text in enumerate([_("Sheet"), _("Column"), _("Required"), _("Meaning"), _("Allowed values")]):
        notes_sheet.write(line, col, text, header)
    for spec in sheets:
        # The sheet's name on a row of its own: beside a column's header (点位类型 | 类型编码) it
        # would read as a header row to an import that scans every sheet.
        line += 1
        notes_sheet.write(line, 0, f"【{spec.name}】", bold)
        for column in spec.columns:
            line += 1
            notes_sheet.write(line, 1, column.header, wrap)
            notes_sheet.write(line, 2, _("yes") if column.required else "", wrap)
            notes_sheet.write(line, 3, column.meaning, wrap)
            notes_sheet.write(line, 4, "、".join(column.choices), wrap)

    if choice_columns:
        lists = book.add_worksheet(CHOICES_SHEET)
        for col, (name, values) in enumerate(choice_columns):
            # Not the column's own header: an import must never take this sheet for data.
            lists.write(0, col, f"可选值：{name}")
            for r, value in enumerate(values, start=1):
                lists.write(r, col, value)
        lists.hide()
    book.close()
    return buffer.getvalue()


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def template_response(data: bytes, filename: str) -> HttpResponse:
    """The template as a download named `filename` (Chinese names are fine)."""
    return xlsx_response(data, filename)


TEMPLATE_HELP = (
    "write a blank template to FILE and stop: an .xlsx with the columns, one example row, a 填写说明 sheet and "
    "drop-down lists for the fixed values (the import page offers the same download); see docs/imports/"
)


def write_template_file(path: str, data: bytes) -> str:
    """Write a template where the user asked; the message to print (the interface language)."""
    from pathlib import Path

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_suffix(target.suffix + ".xlsx") if target.suffix else target.with_suffix(".xlsx")
    target.write_bytes(data)
    return _("Template written to %(path)s: fill it in, then import it.") % {"path": target}
