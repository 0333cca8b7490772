"""Excel files for the import tests, built in memory with xlsxwriter."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

UNIT_HEADER = [
    "序号",
    "单位编码",
    "单位名称",
    "简称",
    "类型",
    "上级单位",
    "别名",
    "联系人",
    "联系电话",
    "地址",
]
PEOPLE_HEADER = ["姓名", "手机", "职务", "所属单位"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    """A workbook with one sheet per entry; rows are written from the top (None = empty cell)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def unit_row(
    code: str,
    name: str,
    kind: str = "",
    parent: str = "",
    short: str = "",
    aliases: str = "",
    contact: str = "",
    phone: str = "",
    address: str = "",
) -> list[Any]:
    return ["", code, name, short, kind, parent, aliases, contact, phone, address]


def roster(
    units: Sequence[Sequence[Any]] = (), people: Sequence[Sequence[Any]] = (), title: bool = True
) -> bytes:
    """A roster as offices send it: a title row and a blank row above each header."""
    top: list[list[Any]] = [["云川市创建文明城市工作单位名册"], []] if title else []
    sheets: dict[str, Sequence[Sequence[Any]]] = {}
    if units:
        sheets["单位"] = [*top, UNIT_HEADER, *units]
    if people:
        sheets["人员"] = [*(top[:1] if title else []), PEOPLE_HEADER, *people]
    return xlsx(sheets)


def sample_roster() -> bytes:
    """A small, valid roster under the test world's street A (code S-A): children come first."""
    return roster(
        units=[
            unit_row("S-A-9", "松林九社区", "社区", "松林二网格片区", aliases="九社区、松九"),
            unit_row("S-A-P", "松林二网格片区", "其他", "S-A", short="二片区"),
        ],
        people=[
            ["周九", "13900000009", "书记", "九社区"],
            ["吴片", "13900000010", "片长", "S-A-P"],
        ],
    )


def roster_upload(data: bytes | None = None, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_roster() if data is None else data, content_type=XLSX_TYPE)
