from __future__ import annotations

import io

import pytest
import xlsxwriter

from chuangwen.core.excel import OLE_MAGIC, SpreadsheetError, column_letter, find_header, read_workbook


def _xlsx(build) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    build(book)
    book.close()
    return buffer.getvalue()


def test_merged_cells_are_filled_into_every_cell_they_cover():
    def build(book):
        sheet = book.add_worksheet("任务")
        sheet.merge_range("A1:C1", "青石区创建任务分解表")
        sheet.write_row(1, 0, ["测评项目", "测评内容", "责任单位"])
        sheet.merge_range("A3:A4", "Ⅰ-1")
        sheet.write_row(2, 1, ["甲", "商务局"])
        sheet.write_row(3, 1, ["乙", "城管局"])

    rows = read_workbook(_xlsx(build))[0].rows
    assert rows[0] == ["青石区创建任务分解表"] * 3
    assert rows[2][0] == rows[3][0] == "Ⅰ-1"


def test_the_header_is_found_below_title_rows_with_synonyms_and_two_row_headers():
    rows = [
        ["某某表", "", ""],
        ["指标", "指标", "责任"],
        ["一级指标", "二级指标", "责任部门"],
        ["a", "b", "c"],
    ]
    header = find_header(
        rows,
        {"l1": ["测评项目", "一级指标"], "l2": ["测评内容", "二级指标"], "unit": ["责任单位", "责任部门"]},
        required=["l1", "unit"],
    )
    assert header is not None
    assert header.row_index == 2
    assert header.columns == {"l1": 0, "l2": 1, "unit": 2}


def test_a_file_that_is_not_excel_is_refused_clearly():
    with pytest.raises(SpreadsheetError, match="Excel"):
        read_workbook(b"name,code\n1,2\n")


def test_an_empty_file_and_an_empty_workbook_are_refused():
    with pytest.raises(SpreadsheetError):
        read_workbook(b"")
    with pytest.raises(SpreadsheetError):
        read_workbook(_xlsx(lambda book: book.add_worksheet("空")))


def test_a_password_protected_workbook_is_refused_with_a_hint():
    with pytest.raises(SpreadsheetError, match="password"):
        read_workbook(OLE_MAGIC + b"\x00" * 1024)


def test_an_oversized_file_is_refused_before_parsing():
    with pytest.raises(SpreadsheetError, match="too large"):
        read_workbook(b"PK\x03\x04" + b"\x00" * 2048, max_bytes=1024)


def test_column_letters_match_excel():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_the_instructions_and_choice_sheets_of_a_template_are_never_read_as_data():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("单位").write_row(0, 0, ["单位编码", "单位名称"])
    book.add_worksheet("填写说明").write_row(0, 0, ["单位编码", "单位名称"])
    book.add_worksheet("可选值").write_row(0, 0, ["市"])
    book.close()
    assert [sheet.name for sheet in read_workbook(buffer.getvalue())] == ["单位"]


def _corner_xlsx(last_cell: str = "XFD1048576") -> bytes:
    """A 1.5 KB workbook with a cell in A1 and one in `last_cell`, written by hand as Excel
    would never write it: calamine makes the sheet a dense grid of that extent."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    row = "".join(ch for ch in last_cell if ch.isdigit())
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
        f'<row r="{row}"><c r="{last_cell}" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_tiny_workbook_with_a_cell_in_the_far_corner_is_refused_without_killing_the_process(tmp_path):
    """Attack on issue 23: calamine allocated 512 GB for A1 + XFD1048576 and aborted the
    process (a web worker on the import page) before the sheet-size check ran. Read in a child
    process so that, were it still to abort, this test fails instead of the test run."""
    import os
    import subprocess
    import sys

    path = tmp_path / "corner.xlsx"
    path.write_bytes(_corner_xlsx())
    code = (
        "import django, sys; django.setup()\n"
        "from chuangwen.core.excel import SpreadsheetError, read_workbook\n"
        "try:\n"
        f"    read_workbook({str(path)!r})\n"
        "except SpreadsheetError as exc:\n"
        "    print('refused:', exc)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chuangwen.settings", "CHUANGWEN_DATA": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert "refused:" in done.stdout and ("too large" in done.stdout or "过大" in done.stdout)


def test_a_sheet_with_its_cells_far_apart_but_within_the_limit_is_still_read():
    sheets = read_workbook(_corner_xlsx("E100"))
    assert sheets[0].rows[0][0] == "name" and sheets[0].rows[99][4] == "x"
