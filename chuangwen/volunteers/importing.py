"""Import of a volunteer roster in the layout of the national volunteer-service system's export
(姓名, 性别, 手机号, 志愿者编号, 所属组织, 服务时长), plus optional 身份证号, 技能特长, 所属队伍.

House rules: `read_workbook` + `find_header`, every error with its row and column letter, a dry
run unless `commit`, everything in one transaction or nothing. A volunteer is matched by 志愿者编号,
else by phone within the unit; a match is updated. 服务时长 is the hours recorded before (in the
national system); the total adds the hours confirmed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.accounts.scope import scope_for
from chuangwen.audit.services import log_action
from chuangwen.core.excel import (
    SpreadsheetError,
    cell,
    cell_text,
    column_letter,
    find_header,
    is_blank,
    read_workbook,
)
from chuangwen.core.text import normalize_name, normalize_phone
from chuangwen.org.models import Unit
from chuangwen.points.xlsx import ImportReport
from chuangwen.volunteers.crypto import encrypt
from chuangwen.volunteers.models import Gender, RecordStatus, ServiceRecord, Team, Volunteer

SYNONYMS = {
    "name": ["姓名", "志愿者姓名", "name"],
    "gender": ["性别", "gender"],
    "phone": ["手机号", "手机号码", "联系电话", "手机", "phone"],
    "code": ["志愿者编号", "编号", "志愿者证号", "code"],
    "unit": ["所属组织", "所属单位", "组织", "单位", "unit"],
    "hours": ["服务时长", "服务时长小时", "累计服务时长", "时长", "hours"],
    "id_number": ["身份证号", "身份证号码", "证件号码", "id number"],
    "skills": ["技能特长", "特长", "技能", "skills"],
    "teams": ["所属队伍", "队伍", "志愿服务队", "team"],
}
GENDERS = {
    "男": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}
ROW_LIMIT = 200_000


@dataclass
class _Row:
    line: int
    unit: Unit
    name: str
    gender: str
    phone: str
    code: str
    hours: Decimal
    id_number: str
    skills: str
    teams: list[str]


def import_roster(data: bytes, actor: Any, commit: bool = False, request: Any = None) -> ImportReport:
    """Check (and with `commit`, write) a roster; the report counts new and updated volunteers."""
    report = ImportReport()
    try:
        sheets = read_workbook(data, max_bytes=settings.UPLOAD_MAX_BYTES)
    except SpreadsheetError as exc:
        report.error(0, "", str(exc))
        return report
    found = None
    for sheet in sheets:
        header = find_header(sheet.rows, SYNONYMS, ["name", "phone", "unit"])
        if header:
            found = (sheet, header)
            break
    if found is None:
        report.error(0, "", _("No header row with the columns 姓名, 手机号 and 所属组织 was found."))
        return report
    sheet, header = found
    if len(sheet.rows) - header.row_index - 1 > ROW_LIMIT:
        report.error(0, "", _("A roster holds at most %(n)d rows; split the file.") % {"n": ROW_LIMIT})
        return report

    def letter(key: str) -> str:
        return column_letter(header.columns[key]) if key in header.columns else ""

    scope = scope_for(actor)
    units: dict[str, Unit | None] = {}
    rows: list[_Row] = []
    seen_codes: dict[str, int] = {}
    seen_phones: dict[tuple[int, str], int] = {}
    for index in range(header.row_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if is_blank(row):
            continue
        line = index + 1
        before = len(report.errors)
        name = cell_text(row, header, "name")
        if not name:
            report.error(line, letter("name"), _("The name is required."), sheet.name)
        elif len(name) > 60:
            report.error(line, letter("name"), _("The name is longer than 60 characters."), sheet.name)
        phone_text = cell_text(row, header, "phone")
        phone = normalize_phone(phone_text)
        if phone is None:
            report.error(
                line, letter("phone"), _("“%(v)s” is not a phone number.") % {"v": phone_text}, sheet.name
            )
        unit_text = cell_text(row, header, "unit")
        key = normalize_name(unit_text)
        if key not in units:
            units[key] = Unit.objects.find_by_name(unit_text) if unit_text else None
        unit = units[key]
        if unit is None:
            report.error(line, letter("unit"), _("Unknown unit “%(v)s”.") % {"v": unit_text}, sheet.name)
        elif not scope.covers(unit):
            report.error(
                line,
                letter("unit"),
                _("The unit “%(v)s” is outside your units.") % {"v": unit_text},
                sheet.name,
            )
        gender_text = cell_text(row, header, "gender")
        gender = GENDERS.get(gender_text.lower(), "") if gender_text else ""
        if gender_text and not gender:
            report.error(line, letter("gender"), _("The gender must be 男 or 女."), sheet.name)
        hours = Decimal("0")
        raw_hours = cell(row, header, "hours")
        if raw_hours not in ("", None):
            try:
                hours = Decimal(str(raw_hours).strip().removesuffix("小时")).quantize(Decimal("0.1"))
                if not Decimal("0") <= hours < Decimal("100000"):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                report.error(
                    line,
                    letter("hours"),
                    _("“%(v)s” is not a number of hours.") % {"v": raw_hours},
                    sheet.name,
                )
        code = cell_text(row, header, "code")[:40]
        id_number = cell_text(row, header, "id_number").upper()
        if id_number and len(id_number) not in (15, 18):
            report.error(line, letter("id_number"), _("An ID number has 15 or 18 characters."), sheet.name)
        teams = [
            t.strip()
            for t in cell_text(row, header, "teams").replace("，", "、").replace(",", "、").split("、")
        ]
        if len(report.errors) > before or unit is None or phone is None:
            continue
        if code:
            if code in seen_codes:
                report.error(
                    line,
                    letter("code"),
                    _("Volunteer number %(c)s appears twice in the file (row %(r)d).")
                    % {"c": code, "r": seen_codes[code]},
                    sheet.name,
                )
                continue
            seen_codes[code] = line
        if (unit.pk, phone) in seen_phones:
            report.error(
                line,
                letter("phone"),
                _("This phone number appears twice for the same unit (row %(r)d).")
                % {"r": seen_phones[(unit.pk, phone)]},
                sheet.name,
            )
            continue
        seen_phones[(unit.pk, phone)] = line
        rows.append(
            _Row(
                line,
                unit,
                name,
                gender,
                phone,
                code,
                hours,
                id_number,
                cell_text(row, header, "skills")[:200],
                [t for t in teams if t],
            )
        )
    if not rows and report.ok:
        report.error(0, "", _("The sheet has a header but no volunteers below it."))
    if not report.ok:
        return report
    by_code = dict(
        Volunteer.objects.filter(code__in=[r.code for r in rows if r.code]).values_list("code", "pk")
    )
    unit_ids = {r.unit.pk for r in rows}
    by_phone = {
        (u, p): pk
        for u, p, pk in Volunteer.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "phone", "pk")
    }
    matches: list[tuple[_Row, int | None]] = []
    for r in rows:
        pk = by_code.get(r.code) if r.code else None
        phone_pk = by_phone.get((r.unit.pk, r.phone))
        if pk is not None and phone_pk is not None and phone_pk != pk:
            report.error(
                r.line,
                letter("phone"),
                _("This phone number belongs to another volunteer of the unit."),
                sheet.name,
            )
            continue
        matches.append((r, pk if pk is not None else phone_pk))
    if not report.ok:
        return report
    report.created = sum(1 for _r, pk in matches if pk is None)
    report.updated = len(matches) - report.created
    if not commit:
        return report
    _write(matches, actor, request, report)
    return report


def _write(matches: list[tuple[_Row, int | None]], actor: Any, request: Any, report: ImportReport) -> None:
    from django.db.models import Sum

    with transaction.atomic():
        new = [
            Volunteer(
                unit=r.unit,
                name=r.name,
                gender=r.gender,
                phone=r.phone,
                code=r.code,
                imported_hours=r.hours,
                total_hours=r.hours,
                skills=r.skills,
                id_number_enc=encrypt(r.id_number),
            )
            for r, pk in matches
            if pk is None
        ]
        Volunteer.objects.bulk_create(new, batch_size=1000)
        updated_ids = [pk for _r, pk in matches if pk is not None]
        existing = Volunteer.objects.in_bulk(updated_ids)
        confirmed = dict(
            ServiceRecord.objects.filter(volunteer_id__in=updated_ids, status=RecordStatus.CONFIRMED)
            .values("volunteer_id")
            .annotate(s=Sum("hours"))
            .values_list("volunteer_id", "s")
        )
        changed = []
        for r, pk in matches:
            if pk is None:
                continue
            v = existing[pk]
            v.unit, v.name, v.phone, v.imported_hours = r.unit, r.name, r.phone, r.hours
            v.gender = r.gender or v.gender
            v.code = r.code or v.code
            v.skills = r.skills or v.skills
            if r.id_number:
                v.id_number_enc = encrypt(r.id_number)
            v.total_hours = r.hours + (confirmed.get(pk) or Decimal("0"))
            changed.append(v)
        Volunteer.objects.bulk_update(
            changed,
            [
                "unit",
                "name",
                "phone",
                "gender",
                "code",
                "skills",
                "id_number_enc",
                "imported_hours",
                "total_hours",
            ],
            batch_size=1000,
        )
        _link_teams(matches, new, existing)
        log_action(
            actor,
            "volunteers.volunteer.import",
            None,
            {"created": report.created, "updated": report.updated},
            request=request,
            object_repr=_("volunteers"),
        )
        report.committed = True


def _link_teams(
    matches: list[tuple[_Row, int | None]], new: list[Volunteer], existing: dict[int, Volunteer]
) -> None:
    """Teams named in the file: found by name in the volunteer's unit, created when missing."""
    wanted = [(r, pk) for r, pk in matches if r.teams]
    if not wanted:
        return
    new_by_key = {(v.unit_id, v.phone): v.pk for v in new}
    teams = {
        (t.unit_id, t.name): t.pk for t in Team.objects.filter(unit_id__in={r.unit.pk for r, _pk in wanted})
    }
    for r, _pk in wanted:
        for name in r.teams:
            if (r.unit.pk, name[:120]) not in teams:
                teams[(r.unit.pk, name[:120])] = Team.objects.create(unit=r.unit, name=name[:120]).pk
    through = Volunteer.teams.through
    links = set()
    for r, pk in wanted:
        vid = pk if pk is not None else new_by_key[(r.unit.pk, r.phone)]
        for name in r.teams:
            links.add((vid, teams[(r.unit.pk, name[:120])]))
    present = set(
        through.objects.filter(volunteer_id__in={v for v, _t in links}).values_list("volunteer_id", "team_id")
    )
    through.objects.bulk_create(
        [through(volunteer_id=v, team_id=t) for v, t in links - present], batch_size=1000
    )
