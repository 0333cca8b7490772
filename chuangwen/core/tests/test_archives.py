"""Issue 23: a small .xlsx or .docx that unpacks to gigabytes is refused before any parser
inflates it, with a message the user can act on."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest
import xlsxwriter

from chuangwen.core.archives import MB, ArchiveError, ZipLimits, check_zip
from chuangwen.core.excel import MAX_CELL_CHARS, SpreadsheetError, read_workbook


def small_xlsx(rows=(("单位", "联系人"), ("松林街道", "林小松"))) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("名单")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return out.getvalue()


def with_part(xlsx: bytes, name: str, chunks, level: int = 9) -> bytes:
    """The workbook with part `name` replaced by the concatenated `chunks`, streamed (a
    gigabyte part never sits in memory)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        with target.open(name, "w", force_zip64=True) as handle:
            for chunk in chunks:
                handle.write(chunk)
    return out.getvalue()


def gigabyte_shared_string():
    yield b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
    yield b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    block = b"A" * MB
    for _ in range(1024):
        yield block
    yield b"</t></si></sst>"


def test_a_one_megabyte_workbook_holding_a_one_gigabyte_shared_string_is_refused_unread():
    bomb = with_part(small_xlsx(), "xl/sharedStrings.xml", gigabyte_shared_string())
    assert len(bomb) < 2 * MB
    with pytest.raises(SpreadsheetError, match="unpacks to more than 256 MB"):
        read_workbook(bomb)


def test_a_part_that_grows_a_thousandfold_is_refused_as_a_zip_bomb():
    dense = with_part(small_xlsx(), "xl/worksheets/sheet1.xml", [b" " * (20 * MB)])
    with pytest.raises(SpreadsheetError, match="ZIP bomb"):
        read_workbook(dense)


def test_an_archive_that_declares_small_sizes_but_unpacks_to_more_is_refused_as_damaged():
    noise = os.urandom(2 * MB)  # incompressible: no ratio rule applies
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("word/document.xml", noise)
    data = bytearray(archive.getvalue())
    # The central directory entry claims 1,000 bytes unpacked (offset 24 of the entry).
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 1000)
    with pytest.raises(ArchiveError, match="do not unpack to the sizes it declares"):
        check_zip(bytes(data))


def test_the_total_unpacked_and_the_number_of_parts_are_bounded_too():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        for n in range(5):
            target.writestr(f"part{n}.xml", os.urandom(300_000))
    data = archive.getvalue()
    check_zip(data)  # within the default limits
    with pytest.raises(ArchiveError, match="unpacks to more than 1 MB"):
        check_zip(data, ZipLimits(unpacked_bytes=1 * MB))
    with pytest.raises(ArchiveError, match="5 parts; at most 4"):
        check_zip(data, ZipLimits(parts=4))


def test_a_cell_longer_than_excel_allows_is_refused_with_its_position():
    data = small_xlsx([("单位", "说明"), ("松林街道", "长" * (MAX_CELL_CHARS + 1))])
    # xlsxwriter itself truncates at Excel's limit, so the long cell is put in by hand.
    data = with_part(
        data,
        "xl/sharedStrings.xml",
        [
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><si><t>\xe5\x8d\x95\xe4\xbd\x8d</t></si><si><t>x</t></si>'
            b"<si><t>a</t></si><si><t>" + b"b" * (MAX_CELL_CHARS + 1) + b"</t></si></sst>"
        ],
    )
    with pytest.raises(SpreadsheetError, match=r"Cell B2 of sheet “名单” holds 32768 characters"):
        read_workbook(data)


def test_an_ordinary_workbook_still_reads(settings):
    assert read_workbook(small_xlsx())[0].rows[1] == ["松林街道", "林小松"]


def test_the_refusal_is_explained_in_chinese(chinese):
    dense = with_part(small_xlsx(), "xl/worksheets/sheet1.xml", [b" " * (20 * MB)])
    with pytest.raises(SpreadsheetError, match="压缩炸弹"):
        read_workbook(dense)
