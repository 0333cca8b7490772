"""Test data for the evaluation system, built on the `world` fixture."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from chuangwen.indicators.models import EvaluationSystem, Indicator, Method


def system_of(world) -> EvaluationSystem:
    if "system" not in world.__dict__:
        system = EvaluationSystem.objects.create(
            name="全国文明城市测评体系", edition="2023年版", campaign=world.campaign
        )
        l1 = Indicator.objects.create(system=system, level=1, code="Ⅰ-3", name="培育文明道德风尚", position=1)
        l2 = Indicator.objects.create(
            system=system, level=2, code="Ⅱ-8", name="志愿服务制度化", parent=l1, position=2
        )
        l3 = Indicator.objects.create(
            system=system,
            level=3,
            code="Ⅲ-17",
            name="志愿服务活动",
            parent=l2,
            standard="参与活动的注册志愿者≥70%",
            methods=[Method.MATERIALS, Method.FIELD],
            position=3,
        )
        world.__dict__.update(system=system, indicator=l3)
    return world.__dict__["system"]


def xlsx(rows: Sequence[Sequence[object]], merges: Sequence[str] = (), sheets: dict | None = None) -> bytes:
    """An .xlsx whose first sheet holds `rows`; `merges` are ranges such as "A3:A5"."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(list(row))
    for rng in merges:
        # Excel keeps a merged range's value in its top-left cell only.
        first = True
        for line in sheet[rng]:
            for cell in line:
                if not first:
                    cell.value = None
                first = False
        sheet.merge_cells(rng)
    for name, extra_rows in (sheets or {}).items():
        extra = book.create_sheet(name)
        for row in extra_rows:
            extra.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
