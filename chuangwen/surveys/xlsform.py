"""Questionnaires as XLSForm-style Excel: a `survey` sheet and a `choices` sheet, plus the
optional `settings` and `grades` sheets.

survey:   type | name | label | hint | required | constraint | measure | indicator | count_unsure | threshold
choices:  list_name | name | label | value | ends_interview
settings: form_title | audience | threshold | intro
grades:   measure | grade | above

Types: `select_one LIST`, `select_multiple LIST`, `yes_no [LIST]`, `rating [MIN MAX]`,
`integer`, `text`, and `begin group` / `end group` for sections. A `constraint` is only used
for screening and only in the simple forms offices need: `. >= 18 and . <= 65` on an integer,
`. != 'no'` or `. = 'yes'` (also `selected(., 'yes')`, `not(selected(., 'no'))`) on a choice;
an answer outside it ends the interview. An option with an empty value is a “don't know”.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.utils.translation import gettext as _

from chuangwen.core.excel import (
    Header,
    Sheet,
    SpreadsheetError,
    cell_text,
    column_letter,
    find_header,
    is_blank,
    read_workbook,
)
from chuangwen.core.text import normalize_name
from chuangwen.surveys.models import Audience, Measure, QuestionKind
from chuangwen.surveys.spec import BandSpec, DesignSpec, OptionSpec, QuestionSpec, SectionSpec, yes_no_options

SURVEY_COLUMNS = {
    "type": ["type", "题型", "类型"],
    "name": ["name", "编号", "名称", "变量名"],
    "label": ["label", "label::zh", "label::Chinese (zh)", "label::中文", "题目", "问题"],
    "hint": ["hint", "提示"],
    "required": ["required", "必答"],
    "constraint": ["constraint", "约束", "甄别条件"],
    "screening": ["screening", "甄别"],
    "measure": ["measure", "测量", "指标类型"],
    "indicator": ["indicator", "indicator_code", "指标", "指标编号", "测评指标"],
    "count_unsure": ["count_unsure", "说不清计入"],
    "threshold": ["threshold", "达标线"],
}
CHOICE_COLUMNS = {
    "list_name": ["list_name", "list name", "选项列表"],
    "name": ["name", "编号", "名称"],
    "label": ["label", "label::zh", "label::Chinese (zh)", "label::中文", "选项"],
    "value": ["value", "分值", "赋值"],
    "ends_interview": ["ends_interview", "screen_out", "终止访问"],
}
SETTINGS_COLUMNS = {
    "form_title": ["form_title", "标题", "问卷名称"],
    "audience": ["audience", "对象", "调查对象"],
    "threshold": ["threshold", "达标线"],
    "intro": ["intro", "开场白"],
}
GRADE_COLUMNS = {
    "measure": ["measure", "测量", "指标类型"],
    "grade": ["grade", "等级"],
    "above": ["above", "lower", "高于"],
}
TYPE_WORDS = {
    "select_one": QuestionKind.SINGLE, "单选": QuestionKind.SINGLE,
    "select_multiple": QuestionKind.MULTIPLE, "多选": QuestionKind.MULTIPLE,
    "yes_no": QuestionKind.YES_NO, "是否": QuestionKind.YES_NO,
    "rating": QuestionKind.RATING, "评分": QuestionKind.RATING,
    "integer": QuestionKind.INTEGER, "整数": QuestionKind.INTEGER,
    "text": QuestionKind.TEXT, "文本": QuestionKind.TEXT,
}  # fmt: skip
MEASURE_WORDS = {
    **{m: m for m in Measure.values},
    "知晓": Measure.AWARENESS, "知晓率": Measure.AWARENESS,
    "支持": Measure.SUPPORT, "支持率": Measure.SUPPORT,
    "满意": Measure.SATISFACTION, "满意率": Measure.SATISFACTION, "满意度": Measure.SATISFACTION,
    "参与": Measure.PARTICIPATION, "参与率": Measure.PARTICIPATION,
    "评价": Measure.EVALUATION,
}  # fmt: skip
AUDIENCE_WORDS = {
    **{a: a for a in Audience.values},
    "市民": Audience.CITIZEN, "教师": Audience.TEACHER,
    "学生家长": Audience.PARENT, "家长": Audience.PARENT, "驻地单位": Audience.RESIDENT_UNIT,
}  # fmt: skip
TRUE_WORDS = {"yes", "true", "1", "y", "是", "true()"}
FALSE_WORDS = {"", "no", "false", "0", "n", "否", "false()"}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,59}$")
_NUMBER_CLAUSE = re.compile(r"^\.\s*(>=|<=|>|<|=)\s*(-?\d+)$")
_CHOICE_CLAUSE = re.compile(
    r"^(?:\.\s*(=|!=)\s*'([^']+)'|selected\(\s*\.\s*,\s*'([^']+)'\s*\)|not\(\s*selected\(\s*\.\s*,\s*'([^']+)'\s*\)\s*\))$"
)


@dataclass
class ParseResult:
    design: DesignSpec
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Errors(list):
    def at(self, sheet: str, row: int, header: Header | None, key: str, message: str) -> None:
        col = column_letter(header.columns[key]) if header and key in header.columns else "-"
        self.append(
            _("Sheet %(sheet)s, row %(row)d, column %(col)s: %(message)s")
            % {"sheet": sheet, "row": row, "col": col, "message": message}
        )


def _sheet(sheets: list[Sheet], *names: str) -> Sheet | None:
    wanted = {normalize_name(n) for n in names}
    return next((s for s in sheets if normalize_name(s.name) in wanted), None)


def _bool(text: str) -> bool | None:
    low = text.strip().lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return None


def _rate(text: str) -> Decimal | None:
    """0.8, 80% or 80 (as a percentage) → Decimal('0.8'); raises ValueError when not a rate."""
    raw = text.strip().rstrip("%")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if text.strip().endswith("%") or value > 1:
        value = value / 100
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError(text)
    return value.normalize() if value == value.to_integral() else value


def _rows(sheet: Sheet, columns: dict, required: list[str], errors: _Errors) -> tuple[Header | None, list]:
    header = find_header(sheet.rows, columns, required)
    if header is None:
        names = ", ".join(required)
        errors.append(
            _("Sheet %(sheet)s has no header row with the columns %(names)s.")
            % {"sheet": sheet.name, "names": names}
        )
        return None, []
    rows = [
        (index + 1, row)
        for index, row in enumerate(sheet.rows)
        if index > header.row_index and not is_blank(row)
    ]
    return header, rows


def parse_xlsform(source: bytes | IO[bytes]) -> ParseResult:
    """Read an XLSForm-style workbook into a design, collecting every error with its place."""
    design = DesignSpec()
    errors = _Errors()
    try:
        sheets = read_workbook(source)
    except SpreadsheetError as exc:
        return ParseResult(design, [str(exc)])
    survey = _sheet(sheets, "survey", "问卷", "题目")
    choices_sheet = _sheet(sheets, "choices", "选项")
    if survey is None:
        return ParseResult(design, [_("The workbook has no sheet named “survey”.")])
    lists = _parse_choices(choices_sheet, errors) if choices_sheet else {}
    _parse_survey(survey, lists, design, errors)
    settings = _sheet(sheets, "settings", "设置")
    if settings is not None:
        _parse_settings(settings, design, errors)
    grades = _sheet(sheets, "grades", "评级", "等级")
    if grades is not None:
        _parse_grades(grades, design, errors)
    if not design.questions and not errors:
        errors.append(_("The survey sheet contains no questions."))
    return ParseResult(design, list(errors))


def _parse_choices(sheet: Sheet, errors: _Errors) -> dict[str, list[OptionSpec]]:
    header, rows = _rows(sheet, CHOICE_COLUMNS, ["list_name", "name", "label"], errors)
    lists: dict[str, list[OptionSpec]] = {}
    for number, row in rows:
        list_name, name, label = (cell_text(row, header, k) for k in ("list_name", "name", "label"))
        if not list_name or not name or not label:
            key = "list_name" if not list_name else "name" if not name else "label"
            errors.at(sheet.name, number, header, key, _("This cell is empty."))
            continue
        options = lists.setdefault(list_name, [])
        if any(o.name == name for o in options):
            errors.at(
                sheet.name,
                number,
                header,
                "name",
                _("Option “%(name)s” appears twice in list “%(list)s”.") % {"name": name, "list": list_name},
            )
            continue
        value = None
        raw = cell_text(row, header, "value")
        if raw:
            try:
                value = _rate(raw)
            except ValueError:
                errors.at(
                    sheet.name,
                    number,
                    header,
                    "value",
                    _("The value must be a number from 0 to 1 (or a percentage)."),
                )
                continue
        ends = _bool(cell_text(row, header, "ends_interview"))
        if ends is None:
            errors.at(sheet.name, number, header, "ends_interview", _("Write yes or no."))
            continue
        options.append(OptionSpec(name, label, value, ends))
    return lists


def _parse_type(text: str) -> tuple[str, list[str]]:
    parts = text.replace("_", " ").split() if text.lower().startswith(("begin", "end")) else text.split()
    if not parts:
        return "", []
    head = parts[0].lower()
    if head in ("begin", "end") and len(parts) > 1 and parts[1].lower() in ("group", "repeat"):
        return f"{head}_{parts[1].lower()}", parts[2:]
    return TYPE_WORDS.get(parts[0].lower(), TYPE_WORDS.get(parts[0], "")), parts[1:]


def _parse_survey(
    sheet: Sheet, lists: dict[str, list[OptionSpec]], design: DesignSpec, errors: _Errors
) -> None:
    header, rows = _rows(sheet, SURVEY_COLUMNS, ["type", "name", "label"], errors)
    section = ""
    seen: set[str] = set()
    for number, row in rows:
        text = {key: cell_text(row, header, key) for key in SURVEY_COLUMNS}

        def err(key: str, message: str, number: int = number) -> None:
            errors.at(sheet.name, number, header, key, message)

        kind, args = _parse_type(text["type"])
        if kind == "begin_group":
            if section:
                err("type", _("Groups cannot be nested; end the group “%(name)s” first.") % {"name": section})
            section = text["name"] or f"group{len(design.sections) + 1}"
            design.sections.append(SectionSpec(section, text["label"]))
            continue
        if kind == "end_group":
            section = ""
            continue
        if not kind:
            err("type", _("Unknown question type “%(type)s”.") % {"type": text["type"]})
            continue
        name = text["name"]
        if not _NAME.match(name):
            err("name", _("Names are letters, digits and _ starting with a letter, e.g. q5."))
            continue
        if name in seen:
            err("name", _("The name “%(name)s” is used twice.") % {"name": name})
            continue
        seen.add(name)
        if not text["label"]:
            err("label", _("This cell is empty."))
            continue
        q = QuestionSpec(
            name=name, label=text["label"][:500], kind=kind, section=section, hint=text["hint"][:300]
        )
        q.indicator_code = text["indicator"][:40]
        flags = {key: _bool(text[key]) for key in ("required", "screening", "count_unsure")}
        bad = [key for key, value in flags.items() if value is None]
        if bad:
            err(bad[0], _("Write yes or no."))
            continue
        q.required, q.is_screening, q.count_unsure = (
            flags["required"],
            flags["screening"],
            flags["count_unsure"],
        )
        if text["measure"]:
            q.measure = MEASURE_WORDS.get(text["measure"].lower(), MEASURE_WORDS.get(text["measure"], ""))
            if not q.measure:
                err(
                    "measure",
                    _(
                        "Unknown measure “%(m)s” (awareness, support, satisfaction, participation, evaluation)."
                    )
                    % {"m": text["measure"]},
                )
                continue
        if text["threshold"]:
            try:
                q.threshold = _rate(text["threshold"])
            except ValueError:
                err("threshold", _("The threshold must be a rate such as 0.8 or 80%."))
                continue
        if not _options_for(q, args, lists, err):
            continue
        if text["constraint"] and not _apply_constraint(q, text["constraint"], err):
            continue
        if q.is_screening and not _screens(q):
            err(
                "screening",
                _("A screening question needs a constraint or an option that ends the interview."),
            )
            continue
        design.questions.append(q)


def _options_for(q: QuestionSpec, args: list[str], lists: dict[str, list[OptionSpec]], err) -> bool:
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO):
        if not args and q.kind == QuestionKind.YES_NO:
            q.options = yes_no_options()
            return True
        if len(args) != 1:
            err("type", _("Name the choice list after the type, e.g. select_one satisfaction."))
            return False
        if args[0] not in lists:
            err("type", _("There is no choice list “%(list)s” on the choices sheet.") % {"list": args[0]})
            return False
        q.list_name = args[0]
        q.options = [OptionSpec(o.name, o.label, o.value, o.ends_interview) for o in lists[args[0]]]
        if any(o.ends_interview for o in q.options):
            q.is_screening = True
        return True
    if q.kind == QuestionKind.RATING:
        try:
            low, high = (int(args[0]), int(args[1])) if args else (1, 5)
        except (ValueError, IndexError):
            low, high = 0, 0
        if len(args) not in (0, 2) or low >= high:
            err("type", _("Write a rating as “rating 1 5” (lowest, highest)."))
            return False
        q.scale_min, q.scale_max = low, high
    return True


def _apply_constraint(q: QuestionSpec, constraint: str, err) -> bool:
    clauses = [c.strip() for c in re.split(r"\s+and\s+", constraint.strip()) if c.strip()]
    q.is_screening = True
    if q.kind == QuestionKind.INTEGER:
        for clause in clauses:
            match = _NUMBER_CLAUSE.match(clause)
            if not match:
                break
            op, number = match.group(1), int(match.group(2))
            if op in (">=", ">", "="):
                q.screen_min = number + (1 if op == ">" else 0)
            if op in ("<=", "<", "="):
                q.screen_max = number - (1 if op == "<" else 0)
        else:
            return True
    elif q.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        names = {o.name for o in q.options}
        for clause in clauses:
            match = _CHOICE_CLAUSE.match(clause)
            if not match:
                break
            op, eq_name, selected, not_selected = match.groups()
            keep = eq_name if op == "=" else selected
            drop = eq_name if op == "!=" else not_selected
            target = keep or drop
            if target not in names:
                err("constraint", _("“%(name)s” is not an option of this question.") % {"name": target})
                return False
            for option in q.options:
                if (keep and option.name != keep) or (drop and option.name == drop):
                    option.ends_interview = True
        else:
            return True
    err(
        "constraint",
        _("Only screening constraints such as “. >= 18 and . <= 65” or “. != 'no'” are understood."),
    )
    return False


def _screens(q: QuestionSpec) -> bool:
    return q.screen_min is not None or q.screen_max is not None or any(o.ends_interview for o in q.options)


def _parse_settings(sheet: Sheet, design: DesignSpec, errors: _Errors) -> None:
    header, rows = _rows(sheet, SETTINGS_COLUMNS, ["form_title"], errors)
    if not rows:
        return
    number, row = rows[0]
    design.title = cell_text(row, header, "form_title")[:120]
    design.intro = cell_text(row, header, "intro")
    audience = cell_text(row, header, "audience")
    if audience:
        design.audience = AUDIENCE_WORDS.get(audience.lower(), AUDIENCE_WORDS.get(audience, ""))
        if not design.audience:
            errors.at(
                sheet.name,
                number,
                header,
                "audience",
                _("Unknown audience “%(a)s” (市民, 教师, 学生家长, 驻地单位).") % {"a": audience},
            )
    threshold = cell_text(row, header, "threshold")
    if threshold:
        try:
            design.threshold = _rate(threshold)
        except ValueError:
            errors.at(
                sheet.name, number, header, "threshold", _("The threshold must be a rate such as 0.8 or 80%.")
            )


def _parse_grades(sheet: Sheet, design: DesignSpec, errors: _Errors) -> None:
    header, rows = _rows(sheet, GRADE_COLUMNS, ["grade", "above"], errors)
    for number, row in rows:
        measure_text = cell_text(row, header, "measure")
        measure = (
            MEASURE_WORDS.get(measure_text.lower(), MEASURE_WORDS.get(measure_text, ""))
            if measure_text
            else ""
        )
        if measure_text and not measure:
            errors.at(
                sheet.name,
                number,
                header,
                "measure",
                _("Unknown measure “%(m)s” (awareness, support, satisfaction, participation, evaluation).")
                % {"m": measure_text},
            )
            continue
        grade = cell_text(row, header, "grade")[:4]
        above = cell_text(row, header, "above")
        try:
            lower = _rate(above) if above else None
        except ValueError:
            errors.at(
                sheet.name, number, header, "above", _("The threshold must be a rate such as 0.8 or 80%.")
            )
            continue
        design.bands.append(BandSpec(grade, lower, measure))
    for measure in {b.measure for b in design.bands}:
        if not any(b.lower is None for b in design.bands if b.measure == measure):
            errors.append(
                _("Sheet %(sheet)s: each measure needs a last grade with “above” empty.")
                % {"sheet": sheet.name}
            )
