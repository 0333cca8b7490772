"""Excel exports: the responses of a round (one row per interview) and the rate tables.

Both are written with `core.xlsx` in constant-memory mode, row by row (user text as text), so a round of 300,000
responses streams out without holding the workbook in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.scope import scoped
from chuangwen.core.xlsx import SafeWorkbook, workbook
from chuangwen.surveys.analysis import Analysis, Rate
from chuangwen.surveys.models import Answer, Channel, Measure, Option, Response, ResponseStatus, Round


def _book(path: str) -> tuple[SafeWorkbook, Any, Any]:
    book = workbook(path, remove_timezone=True)
    return book, book.add_format({"bold": True}), book.add_format({"num_format": "0.0%"})


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def export_responses(round_: Round, user: Any) -> bytes:
    """Every response of the round the user may see, with one column per question."""
    questions = list(round_.questionnaire.questions.order_by("order", "id"))
    options = dict(
        Option.objects.filter(question__questionnaire=round_.questionnaire).values_list("pk", "label")
    )
    responses = scoped(Response.objects.filter(round=round_), user).order_by("id")
    channels = {k: str(v) for k, v in Channel.choices}
    statuses = {k: str(v) for k, v in ResponseStatus.choices}
    answers: Iterator = groupby(
        Answer.objects.filter(response__in=responses.values("pk"))
        .order_by("response_id", "id")
        .values_list("response_id", "question_id", "option_id", "number", "text")
        .iterator(chunk_size=5000),
        key=lambda row: row[0],
    )
    pending = next(answers, None)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        book, bold, _pct = _book(tmp.name)
        sheet = book.add_worksheet(_("Responses"))
        fixed = [_("No."), _("Area"), _("Area code"), _("Channel"), _("Status"), _("Submitted"),
                 _("Collected by"), _("Sex"), _("Age"), _("Ticket number")]  # fmt: skip
        sheet.write_row(0, 0, fixed + [f"{q.name} {q.label}" for q in questions], bold)
        column = {q.pk: len(fixed) + i for i, q in enumerate(questions)}
        rows = responses.values_list(
            "pk", "unit__name", "unit__code", "channel", "status", "submitted_at",
            "collected_by__username", "sex", "age", "external_ref",
        ).iterator(chunk_size=5000)  # fmt: skip
        for line, (pk, unit, code, channel, status, at, by, sex, age, ref) in enumerate(rows, start=1):
            local = timezone.localtime(at).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M")
            sheet.write_row(line, 0, [pk, unit, code, channels.get(channel, channel), statuses.get(status, status),
                                      local, by or "", sex, age if age is not None else "", ref])  # fmt: skip
            while pending is not None and pending[0] < pk:
                pending = next(answers, None)
            if pending is not None and pending[0] == pk:
                values: dict[int, list[str]] = {}
                for _rid, question_id, option_id, number, text in pending[1]:
                    shown = (
                        options.get(option_id, "")
                        if option_id
                        else (f"{number:g}" if number is not None else text)
                    )
                    values.setdefault(question_id, []).append(shown)
                for question_id, shown in values.items():
                    sheet.write_string(line, column[question_id], "、".join(shown))
                pending = next(answers, None)
        sheet.freeze_panes(1, 0)
        book.close()
        return _read(tmp.name)


def _rate_sheet(book: Any, name: str, rates: list[Rate], bold: Any, pct: Any) -> None:
    sheet = book.add_worksheet(name[:31])
    sheet.write_row(0, 0, [_("Name"), _("Measure"), _("Counted answers"), _("Rate"), _("95% interval from"),
                           _("95% interval to"), _("Grade"), _("Threshold"), _("Below threshold")], bold)  # fmt: skip
    measures = {k: str(v) for k, v in Measure.choices}
    for line, rate in enumerate(rates, start=1):
        sheet.write_string(line, 0, rate.label)
        sheet.write_string(line, 1, str(measures.get(rate.measure, "")))
        sheet.write_number(line, 2, rate.n)
        for col, value in ((3, rate.rate), (4, rate.low), (5, rate.high)):
            if value is None:
                sheet.write_blank(line, col, None)
            else:
                sheet.write_number(line, col, value, pct)
        sheet.write_string(line, 6, rate.grade)
        sheet.write_number(line, 7, rate.threshold, pct)
        sheet.write_string(line, 8, _("yes") if rate.below else "")
    sheet.set_column(0, 0, 40)


def export_rates(analysis: Analysis) -> bytes:
    """The rate tables: by question, by indicator, by area and by unit for each measure."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        book, bold, pct = _book(tmp.name)
        _rate_sheet(book, _("Questions"), analysis.by_question(), bold, pct)
        _rate_sheet(book, _("Indicators"), analysis.by_indicator(), bold, pct)
        for measure in analysis.measures():
            label = str(Measure(measure).label).split(" ")[0]
            _rate_sheet(book, f"{_('Areas')} {label}", analysis.by_area(measure), bold, pct)
            _rate_sheet(book, f"{_('Units')} {label}", analysis.by_unit(measure), bold, pct)
        book.close()
        return _read(tmp.name)
