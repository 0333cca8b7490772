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

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _
from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from chuangwen.core.excel import (
    Header,
    Sheet,
    SpreadsheetError,
    cell_text,
    column_letter,
    find_header,
    is_blank,
    read_workbook,
    sniff,
)
from chuangwen.core.text import normalize_name
from chuangwen.surveys.logic import check_expression
from chuangwen.surveys.models import Audience, Measure, QuestionKind
from chuangwen.surveys.spec import YES_NO_OPTIONS, BandSpec, DesignSpec, OptionSpec, QuestionSpec, SectionSpec

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
    """Read an XLSForm with pyxform (the reference parser) into a design.

    Every problem comes back with its sheet, row and column; a feature this product cannot
    run is refused by name, never dropped, so a dry run without errors means nothing is lost.
    """
    design = DesignSpec()
    errors = _Errors()
    data = source if isinstance(source, bytes) else source.read()
    try:
        sheets = read_workbook(data)  # the magic-byte and archive checks every import gets
    except SpreadsheetError as exc:
        return ParseResult(design, [str(exc)])
    if _sheet(sheets, "survey") is None:
        return ParseResult(design, [_("The workbook has no sheet named “survey”.")])
    try:
        book = get_xlsform(io.BytesIO(data), file_type=".xlsx" if sniff(data) == "xlsx" else ".xls")
        _legacy(book)
        form = workbook_to_json(book, fallback_form_name="data", warnings=[])
        create_survey_element_from_dict(form).to_xml(validate=False)  # references, loops, itemsets
    except PyXFormError as exc:
        return ParseResult(
            design, [_("This is not a valid XLSForm (pyxform says): %(error)s") % {"error": exc}]
        )
    except Exception as exc:  # noqa: BLE001 - a malformed file must give a message, not a 500
        return ParseResult(
            design, [_("The file could not be read as an XLSForm: %(error)s") % {"error": exc}]
        )
    walker = _Walker(book, sheets, design, errors)
    walker.survey(form)
    grades = _sheet(sheets, "grades", "评级", "等级")
    if grades is not None:
        _parse_grades(grades, design, errors)
    if not [q for q in design.questions if q.kind not in NO_ANSWER_KINDS] and not errors:
        errors.append(_("The survey sheet contains no questions."))
    return ParseResult(design, list(errors))


# Types pyxform reports (after aliases) → kind; every other type is refused by name.
PYXFORM_KINDS = {
    "select one": QuestionKind.SINGLE,
    "select all that apply": QuestionKind.MULTIPLE,
    "integer": QuestionKind.INTEGER,
    "decimal": QuestionKind.DECIMAL,
    "text": QuestionKind.TEXT,
    "note": QuestionKind.NOTE,
    "calculate": QuestionKind.CALCULATE,
    "date": QuestionKind.DATE,
    "time": QuestionKind.TIME,
    "dateTime": QuestionKind.DATETIME,
    "geopoint": QuestionKind.GEOPOINT,
    "acknowledge": QuestionKind.ACKNOWLEDGE,
    "range": QuestionKind.RATING,
    "int": QuestionKind.INTEGER,
    "string": QuestionKind.TEXT,
    "gps": QuestionKind.GEOPOINT,
    "location": QuestionKind.GEOPOINT,
    "datetime": QuestionKind.DATETIME,
    "date time": QuestionKind.DATETIME,
    "trigger": QuestionKind.ACKNOWLEDGE,
    "start": QuestionKind.METADATA,
    "end": QuestionKind.METADATA,
    "today": QuestionKind.METADATA,
}
NO_ANSWER_KINDS = frozenset({QuestionKind.NOTE, QuestionKind.METADATA})
# Keys of a pyxform question that this product runs; any other key is a feature it refuses.
_QUESTION_KEYS = {
    "type", "name", "label", "hint", "bind", "control", "choices", "itemset", "list_name",
    "parameters", "choice_filter", "default", "children",
    # the project's scoring columns, on top of XLSForm
    "measure", "indicator", "indicator_code", "count_unsure", "threshold", "screening",
}  # fmt: skip
_BIND_KEYS = {"relevant", "constraint", "jr:constraintMsg", "required", "jr:requiredMsg", "calculate"}
_CONTROL_KEYS = {"appearance", "start", "end", "step"}
_APPEARANCES = {
    "",
    "field-list",
    "minimal",
    "horizontal",
    "horizontal-compact",
    "multiline",
    "numbers",
    "quick",
}
_CHOICE_KEYS_OURS = {"score", "ends_interview"}
_FORM_KEYS = {
    "type", "name", "title", "id_string", "sms_keyword", "default_language", "children", "choices",
    "version", "allow_choice_duplicates", "audience", "threshold", "intro",
    # where ODK Collect would send submissions: here the product's own server receives them
    "submission_url",
}  # fmt: skip
_FEATURE_COLUMNS = {
    "media": "media::image",
    "guidance_hint": "guidance_hint",
    "trigger": "trigger",
    "readonly": "read_only",
    "jr:preload": "type",
    "jr:preloadParams": "type",
    "instance": "instance::",
}
# Where a key of pyxform's output is written in the sheet (header prefixes).
_KEY_COLUMNS = {
    "relevant": ("relevant", "bind::relevant", "bind:relevant", "relevance"),
    "constraint": ("constraint", "bind::constraint", "bind:constraint"),
    "jr:constraintMsg": ("constraint_message", "constraint message", "bind::jr:constraintmsg"),
    "required": ("required", "bind::required"),
    "jr:requiredMsg": ("required_message", "bind::jr:requiredmsg"),
    "calculate": ("calculation", "calculate", "bind::calculate"),
    "choice_filter": ("choice_filter", "choice filter"),
    "default": ("default",),
    "appearance": ("appearance", "control::appearance"),
    "screening": ("screening",),
    "type": ("type",),
    "name": ("name",),
    "label": ("label",),
    "parameters": ("parameters",),
    "score": ("score", "value"),
    "ends_interview": ("ends_interview",),
}


def _legacy(book: Any) -> None:
    """This product's workbooks before issue 22, rewritten to standard XLSForm: the option score
    was a `value` column (pyxform reads `value` as `name`), ratings were `rating MIN MAX` and
    yes/no questions `yes_no [LIST]`."""
    header = {k for row in (book.choices_header or []) for k in row}
    if "value" in header and "name" in header and "score" not in header:
        book.choices = [
            {("score" if k == "value" else k): v for k, v in row.items()} for row in book.choices or []
        ]
        book.choices_header = [
            {("score" if k == "value" else k): v for k, v in row.items()} for row in book.choices_header or []
        ]
    lists = {row.get("list_name") for row in book.choices or []}
    added = False
    for row in book.survey or []:
        parts = str(row.get("type", "")).split()
        if parts[:1] == ["rating"]:
            low, high = (parts[1], parts[2]) if len(parts) == 3 else ("1", "5")
            row["type"] = "range"
            row["parameters"] = f"start={low} end={high} step=1"
            if book.survey_header and "parameters" not in book.survey_header[0]:
                book.survey_header = [{**book.survey_header[0], "parameters": None}]
        elif parts[:1] == ["yes_no"]:
            row["type"] = f"select_one {parts[1] if len(parts) > 1 else 'yes_no'}"
            if len(parts) == 1 and "yes_no" not in lists and not added:
                book.choices = list(book.choices or []) + [
                    {"list_name": "yes_no", "name": n, "label": label, "score": str(v)}
                    for n, label, v in YES_NO_OPTIONS
                ]
                added = True


def _language_of(labels: dict[str, str], default: str) -> str:
    for key in labels:
        if "zh" in key.lower() or "中文" in key or "chinese" in key.lower():
            return key
    if default in labels:
        return default
    return next(iter(labels), "default")


class _Walker:
    """Turns pyxform's form (JSON) into a design; refuses what cannot run, with its cell."""

    def __init__(self, book: Any, sheets: list[Sheet], design: DesignSpec, errors: _Errors) -> None:
        self.book, self.design, self.errors = book, design, errors
        self.rows: dict[str, int] = {}
        self.types: dict[str, str] = {}
        for index, row in enumerate(book.survey or []):
            if row.get("name") and str(row["name"]) not in self.rows:
                self.rows[str(row["name"])] = index + 2
                self.types[str(row["name"])] = str(row.get("type", ""))
        self.choice_rows: dict[tuple[str, str], int] = {}
        for index, row in enumerate(book.choices or []):
            key = (str(row.get("list_name", "")), str(row.get("name", "")))
            self.choice_rows.setdefault(key, index + 2)
        self.choice = ("", "")
        self.headers: dict[str, list[str]] = {}
        for name in ("survey", "choices", "settings"):
            sheet = _sheet(sheets, name)
            first = sheet.rows[0] if sheet and sheet.rows else []
            self.headers[name] = [str(c or "").strip().lower() for c in first]
        self.paths: dict[str, str] = {}
        self.lang = ""

    # -- places ---------------------------------------------------------------------------
    def column(self, sheet: str, key: str) -> str:
        wanted = _KEY_COLUMNS.get(key, (key,))
        for index, text in enumerate(self.headers.get(sheet, [])):
            if any(text == w or text.startswith(w + ":") for w in wanted):
                return column_letter(index)
        return "-"

    def error(self, name: str, key: str, message: str, sheet: str = "survey") -> None:
        row = self.rows.get(name, 0) if sheet == "survey" else self.choice_rows.get(self.choice, 0)
        self.errors.append(
            _("Sheet %(sheet)s, row %(row)s, column %(col)s: %(message)s")
            % {"sheet": sheet, "row": row or "-", "col": self.column(sheet, key), "message": message}
        )

    def refuse(self, name: str, key: str, feature: str) -> None:
        self.error(
            name,
            key,
            _("“%(feature)s” is not supported by this product yet; remove it or change the question.")
            % {"feature": feature},
        )

    # -- the form ---------------------------------------------------------------------------
    def survey(self, form: dict) -> None:
        for key in form:
            if key not in _FORM_KEYS:
                self.errors.append(
                    _("Sheet settings: “%(feature)s” is not supported by this product yet.")
                    % {"feature": key}
                )
        self.design.title = str(form.get("title") or "")[:120]
        self._settings(form)
        self._collect_paths(form.get("children", []), "/data")
        languages: list[str] = []
        self._languages(form.get("children", []), languages)
        self.lang = _language_of(dict.fromkeys(languages), str(form.get("default_language") or "default"))
        self.design.xlsform = {
            "form_id": str(form.get("id_string") or ""),
            "version": str(form.get("version") or ""),
            "default_language": str(form.get("default_language") or "default"),
            "languages": languages,
            "language": self.lang,
        }
        self._children(form.get("children", []), [])

    def _settings(self, form: dict) -> None:
        audience = str(form.get("audience") or "").strip()
        if audience:
            self.design.audience = AUDIENCE_WORDS.get(audience.lower(), AUDIENCE_WORDS.get(audience, ""))
            if not self.design.audience:
                self.errors.append(
                    _("Unknown audience “%(a)s” (市民, 教师, 学生家长, 驻地单位).") % {"a": audience}
                )
        threshold = str(form.get("threshold") or "").strip()
        if threshold:
            try:
                self.design.threshold = _rate(threshold)
            except ValueError:
                self.errors.append(_("The threshold must be a rate such as 0.8 or 80%."))
        self.design.intro = str(form.get("intro") or "")

    def _collect_paths(self, children: list, base: str) -> None:
        for child in children:
            name = str(child.get("name", ""))
            path = f"{base}/{name}"
            self.paths[name] = path
            if child.get("children"):
                self._collect_paths(child["children"], path)

    def _languages(self, children: list, out: list[str]) -> None:
        for child in children:
            for key in ("label", "hint"):
                if isinstance(child.get(key), dict):
                    out.extend(k for k in child[key] if k not in out)
            self._languages(child.get("children", []), out)

    def text(self, value: Any) -> tuple[str, dict[str, str]]:
        """(the text in the interview's main language, every language)."""
        if isinstance(value, dict):
            texts = {str(k): str(v) for k, v in value.items()}
            return texts.get(self.lang) or next(iter(texts.values()), ""), texts
        return ("" if value is None else str(value)), {}

    def _children(self, children: list, path: list[str]) -> None:
        for child in children:
            kind = child.get("type")
            name = str(child.get("name", ""))
            if kind == "group" and name == "meta" and child.get("control", {}).get("bodyless"):
                continue  # pyxform's own instanceID
            if kind == "repeat":
                self.refuse(name, "type", "begin repeat")
                continue
            if kind == "group":
                self._group(child, path)
                continue
            self._question(child, path)

    def _check_keys(self, element: dict, name: str) -> bool:
        ok = True
        for key in element:
            if key not in _QUESTION_KEYS:
                self.refuse(name, _FEATURE_COLUMNS.get(key, key), _FEATURE_COLUMNS.get(key, key))
                ok = False
        for key in element.get("bind", {}):
            if key not in _BIND_KEYS:
                self.refuse(name, _FEATURE_COLUMNS.get(key, key), _FEATURE_COLUMNS.get(key, key))
                ok = False
        for key in element.get("control", {}):
            if key not in _CONTROL_KEYS:
                self.refuse(name, "appearance", key)
                ok = False
        appearance = str(element.get("control", {}).get("appearance", ""))
        for word in appearance.split():
            if word not in _APPEARANCES:
                self.refuse(name, "appearance", f"appearance {word}")
                ok = False
        return ok

    def _expr(self, name: str, key: str, expression: str) -> bool:
        problem = check_expression(expression, self.paths)
        if problem:
            self.error(
                name,
                key,
                _("The expression “%(expr)s” cannot be evaluated here (%(problem)s).")
                % {"expr": expression, "problem": problem},
            )
            return False
        return True

    def _group(self, child: dict, path: list[str]) -> None:
        name = str(child.get("name", ""))
        if not self._check_keys(child, name):
            return
        title, labels = self.text(child.get("label"))
        logic: dict[str, Any] = {"parent": path[-1] if path else "", "labels": labels}
        relevant = str(child.get("bind", {}).get("relevant", "") or "")
        if relevant and self._expr(name, "relevant", relevant):
            logic["relevant"] = relevant
        appearance = str(child.get("control", {}).get("appearance", ""))
        if appearance:
            logic["appearance"] = appearance
        if any(s.name == name for s in self.design.sections):
            self.error(name, "name", _("The name “%(name)s” is used twice.") % {"name": name})
            return
        self.design.sections.append(SectionSpec(name, title[:200], logic))
        self._children(child.get("children", []), [*path, name])

    def _question(self, child: dict, path: list[str]) -> None:
        name = str(child.get("name", ""))
        raw_type = str(child.get("type", ""))
        kind = PYXFORM_KINDS.get(raw_type)
        if kind is None:
            self.refuse(name, "type", self.types.get(name) or raw_type)
            return
        if not self._check_keys(child, name):
            return
        if not _NAME.match(name):
            self.error(name, "name", _("Names are letters, digits and _ starting with a letter, e.g. q5."))
            return
        label, labels = self.text(child.get("label"))
        hint, hints = self.text(child.get("hint"))
        if name.endswith("_other") and label == "Specify other.":
            label = _("Specify other.")
        q = QuestionSpec(name=name, label=label, kind=kind, section=path[-1] if path else "", hint=hint)
        bind = child.get("bind", {})
        logic: dict[str, Any] = {"path": path}
        if labels:
            logic["labels"] = labels
        if hints:
            logic["hints"] = hints
        if kind == QuestionKind.METADATA:
            logic["metadata"] = raw_type
        ok = True
        for key, target in (
            ("relevant", "relevant"),
            ("constraint", "constraint"),
            ("calculate", "calculation"),
        ):
            expression = str(bind.get(key, "") or "")
            if expression:
                ok = self._expr(name, key, expression) and ok
                logic[target] = expression
        for key, target in (
            ("jr:constraintMsg", "constraint_message"),
            ("jr:requiredMsg", "required_message"),
        ):
            if bind.get(key):
                logic[target] = self.text(bind[key])[1] or {"default": str(bind[key])}
        required = str(bind.get("required", "") or "").strip()
        flag = _bool(required)
        if flag is None:
            ok = self._expr(name, "required", required) and ok
            logic["required"] = required
            q.required = False
        else:
            q.required = flag
        for key in ("choice_filter", "default"):
            value = str(child.get(key, "") or "")
            if value:
                if key == "choice_filter":
                    ok = self._choice_filter(name, value) and ok
                logic[key] = value
        appearance = str(child.get("control", {}).get("appearance", ""))
        if appearance:
            logic["appearance"] = appearance
        if not ok:
            return
        if not self._scoring(q, child, logic):
            return
        if not self._answers(q, child, logic):
            return
        q.logic = logic
        self.design.questions.append(q)

    def _choice_filter(self, name: str, expression: str) -> bool:
        # Choice columns are names relative to the choice (`cf`, `state`), so only the
        # ${references} and the functions are checked here.
        probe = dict(self.paths)
        problem = check_expression(expression, probe)
        if problem.startswith("${") or problem.endswith("()"):
            self.error(
                name,
                "choice_filter",
                _("The expression “%(expr)s” cannot be evaluated here (%(problem)s).")
                % {"expr": expression, "problem": problem},
            )
            return False
        return True

    def _scoring(self, q: QuestionSpec, child: dict, logic: dict) -> bool:
        q.indicator_code = str(child.get("indicator") or child.get("indicator_code") or "")[:40]
        flags = {}
        for key in ("count_unsure",):
            value = _bool(str(child.get(key, "") or ""))
            if value is None:
                self.error(q.name, key, _("Write yes or no."))
                return False
            flags[key] = value
        q.count_unsure = flags["count_unsure"]
        measure = str(child.get("measure", "") or "")
        if measure:
            q.measure = MEASURE_WORDS.get(measure.lower(), MEASURE_WORDS.get(measure, ""))
            if not q.measure:
                self.error(
                    q.name,
                    "measure",
                    _(
                        "Unknown measure “%(m)s” (awareness, support, satisfaction, participation, evaluation)."
                    )
                    % {"m": measure},
                )
                return False
        threshold = str(child.get("threshold", "") or "")
        if threshold:
            try:
                q.threshold = _rate(threshold)
            except ValueError:
                self.error(q.name, "threshold", _("The threshold must be a rate such as 0.8 or 80%."))
                return False
        screening = str(child.get("screening", "") or "").strip()
        if screening:
            as_flag = _bool(screening)
            if as_flag is None:
                if not self._expr(q.name, "screening", screening):
                    return False
                logic["screening"] = screening
                q.is_screening = True
                _screen_range(q, screening)
            else:
                q.is_screening = as_flag
        return True

    def _answers(self, q: QuestionSpec, child: dict, logic: dict) -> bool:
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            list_name = str(child.get("list_name") or child.get("itemset") or "")
            q.list_name = list_name
            logic["list_name"] = list_name
            seen: set[str] = set()
            for choice in child.get("choices", []):
                option = self._option(q, choice, list_name)
                if option is None:
                    return False
                if option.name in seen:
                    self.error(
                        q.name,
                        "name",
                        _("Option “%(name)s” appears twice in list “%(list)s”.")
                        % {"name": option.name, "list": list_name},
                        sheet="choices",
                    )
                    return False
                seen.add(option.name)
                q.options.append(option)
            if not q.options:
                self.error(
                    q.name,
                    "type",
                    _("There is no choice list “%(list)s” on the choices sheet.") % {"list": list_name},
                )
                return False
            if (
                {o.name for o in q.options} == {"yes", "no"}
                and q.kind == QuestionKind.SINGLE
                and list_name == "yes_no"
            ):
                q.kind = QuestionKind.YES_NO
            if any(o.ends_interview for o in q.options):
                q.is_screening = True
        if q.kind == QuestionKind.RATING:
            params = child.get("parameters", {})
            try:
                low, high = int(str(params.get("start", "1"))), int(str(params.get("end", "10")))
                step = Decimal(str(params.get("step", "1")))
            except (ValueError, InvalidOperation):
                self.refuse(q.name, "parameters", _("a range with decimal steps"))
                return False
            if step != 1 or low >= high:
                self.refuse(q.name, "parameters", _("a range with decimal steps"))
                return False
            q.scale_min, q.scale_max = low, high
        if q.is_screening and not logic.get("screening") and not any(o.ends_interview for o in q.options):
            self.error(
                q.name,
                "screening",
                _("A screening question needs a screening rule or an option that ends the interview."),
            )
            return False
        return True

    def _option(self, q: QuestionSpec, choice: dict, list_name: str) -> OptionSpec | None:
        name = str(choice.get("name", ""))
        self.choice = (list_name, name)
        label, labels = self.text(choice.get("label"))
        if name == "other" and label == "Other":
            label = _("Other")
            labels = {k: (_("Other") if v == "Other" else v) for k, v in labels.items()}
        for key in choice:
            if key in ("media",):
                self.refuse(q.name, "media::image", "media::image")
                return None
        value = None
        raw = str(choice.get("score", "") or "")
        if raw:
            try:
                value = _rate(raw)
            except ValueError:
                self.error(
                    q.name,
                    "score",
                    _("The value must be a number from 0 to 1 (or a percentage)."),
                    sheet="choices",
                )
                return None
        ends = _bool(str(choice.get("ends_interview", "") or ""))
        if ends is None:
            self.error(q.name, "ends_interview", _("Write yes or no."), sheet="choices")
            return None
        extra: dict[str, Any] = {
            str(k): str(v) for k, v in choice.items() if k not in ("name", "label", *_CHOICE_KEYS_OURS)
        }
        if labels:
            extra["labels"] = labels
        return OptionSpec(name, label, value, ends, extra)


_RANGE = re.compile(r"^\.\s*>=\s*(-?\d+)(?:\s+and\s+\.\s*<=\s*(-?\d+))?$")


def _screen_range(q: QuestionSpec, expression: str) -> None:
    """Fill screen_min/screen_max for the age-style rule `. >= 18 and . <= 65` (sampling quotas
    and the question page show them); the expression itself is what is evaluated."""
    match = _RANGE.match(expression.strip())
    if match and q.kind == QuestionKind.INTEGER:
        q.screen_min = int(match.group(1))
        q.screen_max = int(match.group(2)) if match.group(2) else None


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
