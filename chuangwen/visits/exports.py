"""The 走访情况台账 (.xlsx) a county office collects: coverage per grid, then one line per
household of the round with its outcome, materials, opinions and difficulties."""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.core.xlsx import workbook
from chuangwen.visits import services
from chuangwen.visits.models import Household, Visit, VisitRound


def ledger_xlsx(visit_round: VisitRound, households: QuerySet[Household]) -> bytes:
    out = io.BytesIO()
    book = workbook(out)
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    sheet = book.add_worksheet(_("Visit ledger"))
    sheet.write_string(0, 0, _("Visit ledger of %(round)s") % {"round": visit_round.name}, title)
    sheet.write_string(1, 0, _("organised by"), bold)
    sheet.write_string(1, 1, visit_round.unit.name)
    sheet.write_string(1, 2, _("due date"), bold)
    sheet.write_string(1, 3, visit_round.due.isoformat())
    row = 3
    headers = [
        _("grid"),
        _("households"),
        _("Visited"),
        _("Not at home"),
        _("Refused"),
        _("not yet"),
        _("rate %"),
    ]
    for col, header in enumerate(headers):
        sheet.write_string(row, col, header, bold)
    by_grid, _by_unit = services.coverage(visit_round, households)
    for line in by_grid:
        row += 1
        sheet.write_string(row, 0, line.label)
        for col, value in enumerate(
            (line.total, line.visited, line.not_home, line.refused, line.pending, line.rate), 1
        ):
            sheet.write_number(row, col, value)
    row += 2
    headers = [
        _("grid"),
        _("building"),
        _("stairway"),
        _("room"),
        _("head of household"),
        _("covered by"),
        _("visit outcome"),
        _("materials handed out"),
        _("opinions"),
        _("difficulties"),
        _("visited at"),
        _("problem"),
    ]
    for col, header in enumerate(headers):
        sheet.write_string(row, col, header, bold)
    visits = {
        v.household_id: v
        for v in Visit.objects.filter(round=visit_round, household__in=households).only(
            "household_id", "outcome", "materials", "opinions", "difficulties", "visited_at", "problem_id"
        )
    }
    for household in households.select_related("grid", "steward").order_by(
        "grid__code", "building", "stairway", "room"
    ):
        row += 1
        visit = visits.get(household.pk)
        values = [
            household.grid.name,
            household.building,
            household.stairway,
            household.room,
            household.head,
            household.steward.name if household.steward else "",
            visit.get_outcome_display() if visit else _("not yet"),
            visit.materials if visit else "",
            visit.opinions if visit else "",
            visit.difficulties if visit else "",
            timezone.localtime(visit.visited_at).strftime("%Y-%m-%d %H:%M") if visit else "",
            str(visit.problem_id) if visit and visit.problem_id else "",
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, str(value))
    sheet.set_column(0, 1, 18)
    sheet.set_column(8, 9, 40)
    book.close()
    return out.getvalue()
