"""Reading duty back: the 值守记录表 of a point and day (xlsx) and attendance by unit."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.core.xlsx import workbook
from chuangwen.points.models import CheckIn, DutyCategory, DutyLog, DutyShift, Point


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M") if value else ""


def record_sheet(point: Point, day: dt.date) -> bytes:
    """The duty record sheet of one point and day, in the shape offices print and sign."""
    shifts = list(
        DutyShift.objects.filter(point=point, date=day).prefetch_related("people").order_by("start_time")
    )
    checkins = defaultdict(dict)
    for c in CheckIn.objects.filter(shift__in=shifts).select_related("person"):
        checkins[c.shift_id][c.person_id] = c
    logs = list(
        DutyLog.objects.filter(point=point, date=day)
        .select_related("person")
        .prefetch_related("photos")
        .order_by("created_at")
    )
    out = io.BytesIO()
    # Not constant memory: the info block and merged rows are written out of order.
    book = workbook(out, constant_memory=False, in_memory=True)
    sheet = book.add_worksheet(_("Duty record"))
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    flag = book.add_format({"border": 1, "text_wrap": True, "font_color": "#B71C1C"})
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 6, 16)
    sheet.merge_range(0, 0, 0, 6, _("Civilized city field point duty record sheet"), title)
    info = [
        (_("Point"), point.name),
        (_("Address"), point.address),
        (_("Responsible unit"), point.unit.name),
        (_("Date"), day.isoformat()),
        (_("Responsible leader"), point.leader.name if point.leader_id else point.leader_name),
        (_("Responsible cadre"), point.cadre.name if point.cadre_id else point.cadre_name),
    ]
    row = 2
    for label, value in info:
        sheet.write(row, 0, label, head)
        sheet.merge_range(row, 1, row, 6, value or "", cell)
        row += 1
    row += 1
    headers = [
        _("Time"),
        _("Person"),
        _("Checked in"),
        _("Checked out"),
        _("Distance (m)"),
        _("Flag"),
        _("Required"),
    ]
    for col, text in enumerate(headers):
        sheet.write(row, col, text, head)
    row += 1
    for shift in shifts:
        window = f"{shift.start_time:%H:%M}–{shift.end_time:%H:%M}"
        people = list(shift.people.all()) or [None]
        for person in people:
            c = checkins[shift.pk].get(person.pk) if person else None
            flags = []
            if person and c is None:
                flags.append(_("absent"))
            if c and c.in_outside:
                flags.append(_("checked in outside the radius"))
            if c and c.out_outside:
                flags.append(_("checked out outside the radius"))
            sheet.write(row, 0, window, cell)
            sheet.write(row, 1, person.name if person else _("(nobody rostered)"), cell)
            sheet.write(row, 2, _local(c.checked_in_at) if c else "", cell)
            sheet.write(row, 3, _local(c.checked_out_at) if c else "", cell)
            sheet.write(row, 4, round(c.in_distance_m) if c and c.in_distance_m is not None else "", cell)
            sheet.write(row, 5, "; ".join(flags), flag if flags else cell)
            sheet.write(row, 6, shift.required_count, cell)
            row += 1
    row += 1
    for col, text in enumerate([_("Time"), _("Person"), _("Category"), _("Count"), _("Photos"), _("Note")]):
        sheet.write(row, col, text, head)
    row += 1
    totals: dict[str, int] = defaultdict(int)
    for entry in logs:
        totals[entry.category] += entry.count
        sheet.write(row, 0, _local(entry.created_at), cell)
        sheet.write(row, 1, entry.person.name if entry.person_id else "", cell)
        sheet.write(row, 2, entry.get_category_display(), cell)
        sheet.write(row, 3, entry.count, cell)
        sheet.write(row, 4, len(entry.photos.all()), cell)
        sheet.write(row, 5, entry.note, cell)
        row += 1
    row += 1
    sheet.write(row, 0, _("Totals"), head)
    row += 1
    for value, label in DutyCategory.choices:
        sheet.write(row, 0, str(label), cell)
        sheet.write(row, 1, totals.get(value, 0), cell)
        row += 1
    row += 1
    sheet.write(row, 0, _("Signature of the person on duty"), head)
    sheet.write(row, 3, _("Signature of the responsible cadre"), head)
    book.close()
    return out.getvalue()


@dataclass
class UnitAttendance:
    unit_id: int
    unit_name: str
    assigned: int = 0
    attended: int = 0
    missed: int = 0
    pending: int = 0
    flagged: int = 0

    @property
    def rate(self) -> float | None:
        done = self.attended + self.missed
        return round(100.0 * self.attended / done, 1) if done else None


@dataclass
class Attendance:
    units: list[UnitAttendance] = field(default_factory=list)
    missed: list[tuple[DutyShift, Any]] = field(default_factory=list)  # (shift, person)
    understaffed: list[tuple[DutyShift, int]] = field(default_factory=list)  # (shift, people present)


def attendance(shifts: models.QuerySet[DutyShift], now: dt.datetime | None = None) -> Attendance:
    """Per unit of the person rostered: slots assigned, attended, missed (shift over, no check-in)."""
    now = now or timezone.now()
    shifts = list(
        shifts.select_related("point", "roster")
        .prefetch_related("people__unit")
        .order_by("date", "start_time")
    )
    present: dict[int, dict[int, CheckIn]] = defaultdict(dict)
    for c in CheckIn.objects.filter(shift__in=[s.pk for s in shifts]):
        present[c.shift_id][c.person_id] = c
    by_unit: dict[int, UnitAttendance] = {}
    result = Attendance()
    for shift in shifts:
        over = shift.ends_at() < now
        if over and len(present[shift.pk]) < shift.required_count:
            result.understaffed.append((shift, len(present[shift.pk])))
        for person in shift.people.all():
            row = by_unit.setdefault(person.unit_id, UnitAttendance(person.unit_id, person.unit.name))
            row.assigned += 1
            c = present[shift.pk].get(person.pk)
            if c is not None:
                row.attended += 1
                row.flagged += c.flagged
            elif over:
                row.missed += 1
                result.missed.append((shift, person))
            else:
                row.pending += 1
    result.units = sorted(by_unit.values(), key=lambda r: (-(r.missed), r.unit_name))
    return result
