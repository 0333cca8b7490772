"""12345 hotline satisfaction callbacks (回访) imported from Excel as the responses of a round.

Each row is a ticket: its number, the area (community or street) and the answers, in columns
headed by a question's label or name (e.g. “满意度” → 满意 / 基本满意 / 不满意). A ticket is
stored once per round: importing the same export again, or an overlapping one, skips the
tickets already there. Dry run unless committed; a commit writes every row or none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.dates import DateTextError, parse_moment
from chuangwen.core.errors import DomainError
from chuangwen.core.excel import (
    SpreadsheetError,
    cell,
    cell_text,
    column_letter,
    find_header,
    is_blank,
    read_workbook,
)
from chuangwen.core.text import normalize_name
from chuangwen.org.models import Unit
from chuangwen.surveys.compiled import SubmissionInvalid, compile_questionnaire
from chuangwen.surveys.models import Channel, QuestionKind, Response, Round, RoundMode
from chuangwen.surveys.submission import submit_response

FIXED_COLUMNS = {
    "ticket": ["工单编号", "工单号", "编号", "ticket", "ticket_no"],
    "unit": ["社区", "所属社区", "区域", "所属区域", "街道", "所属街道", "责任单位", "单位", "area", "unit"],
    "called_at": ["回访时间", "回访日期", "called_at", "date"],
}


@dataclass
class HotlineRow:
    number: int
    ticket: str
    unit: Unit
    answers: dict[str, Any]
    called_at: dt.datetime | None


@dataclass
class HotlineReport:
    rows: list[HotlineRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # tickets already in the round
    errors: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # question name -> header as written
    stored: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _when(value: Any) -> dt.datetime | None:
    """A callback time as exports write it (the shared reader: a date cell, 2024-06-03 14:20,
    2024/6/3, 2024年6月3日, full-width digits); DateTextError names what was written."""
    return parse_moment(value)


def read_callbacks(round_: Round, source: bytes | IO[bytes]) -> HotlineReport:
    """Check a callback export against the round's questionnaire; nothing is written."""
    report = HotlineReport()
    if round_.mode != RoundMode.HOTLINE:
        report.errors.append(_("Callbacks can be imported only into a hotline round."))
        return report
    try:
        sheet = read_workbook(source)[0]
    except SpreadsheetError as exc:
        report.errors.append(str(exc))
        return report
    form = compile_questionnaire(round_.questionnaire)
    synonyms = dict(FIXED_COLUMNS)
    for q in form.questions:
        synonyms[f"q:{q.name}"] = [q.name, q.label]
    header = find_header(sheet.rows, synonyms, ["ticket", "unit"])
    if header is None:
        report.errors.append(
            _("No header row with a ticket number (工单编号) and an area (社区) column was found.")
        )
        return report
    report.columns = {key[2:]: label for key, label in header.labels.items() if key.startswith("q:")}
    if not report.columns:
        report.errors.append(_("No column is headed by a question of the questionnaire."))
        return report
    root = round_.questionnaire.campaign.root_unit
    existing = set(
        Response.objects.filter(round=round_).exclude(external_ref="").values_list("external_ref", flat=True)
    )
    seen: set[str] = set()
    for index in range(header.row_index + 1, len(sheet.rows)):
        row, number = sheet.rows[index], index + 1

        def err(key: str, message: str, number: int = number) -> None:
            col = column_letter(header.columns[key]) if key in header.columns else "-"
            report.errors.append(
                _("Row %(row)d, column %(col)s: %(message)s")
                % {"row": number, "col": col, "message": message}
            )

        if is_blank(row):
            continue
        ticket = cell_text(row, header, "ticket")
        if not ticket:
            err("ticket", _("The ticket number is empty."))
            continue
        if ticket in seen:
            err("ticket", _("Ticket %(ref)s appears twice in the file.") % {"ref": ticket})
            continue
        seen.add(ticket)
        if ticket in existing:
            report.skipped.append(ticket)
            continue
        unit_name = cell_text(row, header, "unit")
        unit = Unit.objects.find_by_name(unit_name) if unit_name else None
        if unit is not None and not unit.is_within(root):
            # The unit exists: what is wrong is where it sits in the tree, not its name.
            err(
                "unit",
                _(
                    "“%(name)s” is not within this campaign's territory (%(root)s). Move the unit "
                    "below %(root)s in the unit tree, or name a unit inside the territory."
                )
                % {"name": unit_name, "root": root.name},
            )
            continue
        if unit is None:
            err("unit", _("Unknown area “%(name)s”.") % {"name": unit_name})
            continue
        try:
            called_at = _when(cell(row, header, "called_at"))
        except DateTextError as exc:
            err("called_at", str(exc))
            continue
        answers, bad = {}, False
        for name in report.columns:
            q = form.by_name[name]
            text = cell_text(row, header, f"q:{name}")
            if not text:
                continue
            if q.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.MULTIPLE):
                option = q.option_for(text)
                if option is None:
                    err(f"q:{name}", _("“%(value)s” is not one of the options.") % {"value": text})
                    bad = True
                    continue
                answers[name] = [option.name] if q.kind == QuestionKind.MULTIPLE else option.name
            else:
                answers[name] = text
        if bad:
            continue
        try:
            form.validate(answers)
        except SubmissionInvalid as exc:
            for name, message in exc.errors.items():
                err(f"q:{name}", message)
            continue
        report.rows.append(HotlineRow(number, ticket, unit, answers, called_at))
    return report


def ticket_key(round_: Round, ticket: str) -> str:
    digest = hashlib.sha256(normalize_name(ticket).encode()).hexdigest()[:40]
    return f"hotline-{round_.pk}-{digest}"


def import_callbacks(
    round_: Round,
    source: bytes | IO[bytes],
    actor: Any,
    commit: bool = False,
    request: HttpRequest | None = None,
) -> HotlineReport:
    """Read the export; when committed and free of errors, store every new ticket in one
    transaction (a failure stores none)."""
    report = read_callbacks(round_, source)
    if not commit or not report.ok:
        return report
    with transaction.atomic():
        for row in report.rows:
            try:
                _response, created = submit_response(
                    round_,
                    unit=row.unit,
                    answers=row.answers,
                    idempotency_key=ticket_key(round_, row.ticket),
                    channel=Channel.HOTLINE,
                    actor=actor,
                    external_ref=row.ticket,
                    submitted_at=row.called_at,
                )
            except DomainError as exc:
                raise DomainError(
                    _("Row %(row)d: %(message)s") % {"row": row.number, "message": exc}
                ) from exc
            report.stored += created
        log_action(
            actor,
            "surveys.hotline.import",
            round_,
            {"stored": report.stored, "skipped": len(report.skipped)},
            request=request,
        )
    return report
