"""A point's activity ledger (.xlsx) the way inspectors expect to find it on site: the point,
its 阵地建设 checklist, then every activity in date order."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from chuangwen.core.xlsx import workbook
from chuangwen.points.models import Point
from chuangwen.practice.models import STANDARD_ITEMS, LedgerEntry, StandardCheck


def ledger_xlsx(point: Point) -> bytes:
    out = io.BytesIO()
    book = workbook(out)
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    sheet = book.add_worksheet(_("Activity ledger"))
    sheet.write_string(0, 0, _("Activity ledger of %(point)s") % {"point": point.name}, title)
    sheet.write_string(1, 0, _("responsible unit"), bold)
    sheet.write_string(1, 1, point.unit.name)
    row = 3
    sheet.write_string(row, 0, _("Position standard"), bold)
    checks = {c.item: c for c in StandardCheck.objects.filter(point=point)}
    for key, label in STANDARD_ITEMS:
        row += 1
        check = checks.get(key)
        sheet.write_string(row, 0, str(label))
        sheet.write_string(row, 1, _("met") if check and check.met else _("not met"))
        sheet.write_string(row, 2, check.note if check else "")
    row += 2
    headers = [
        _("date"),
        _("theme"),
        _("title"),
        _("organiser"),
        _("participants"),
        _("who took part"),
        _("record"),
        _("photos"),
    ]
    for col, header in enumerate(headers):
        sheet.write_string(row, col, header, bold)
    entries = LedgerEntry.objects.filter(point=point).order_by("date", "id").prefetch_related("photos")
    for entry in entries:
        row += 1
        sheet.write_string(row, 0, entry.date.isoformat())
        sheet.write_string(row, 1, entry.get_theme_display())
        sheet.write_string(row, 2, entry.title)
        sheet.write_string(row, 3, entry.organiser)
        sheet.write_number(row, 4, entry.participants)
        sheet.write_string(row, 5, entry.attendees)
        sheet.write_string(row, 6, entry.record)
        sheet.write_number(row, 7, len(entry.photos.all()))
    sheet.set_column(0, 0, 14)
    sheet.set_column(2, 3, 24)
    sheet.set_column(5, 6, 40)
    book.close()
    return out.getvalue()
