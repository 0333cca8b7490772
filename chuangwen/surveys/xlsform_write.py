"""Writing questionnaires as XLSForm-style Excel (the sheets `xlsform` reads back)."""

from __future__ import annotations

import io
from decimal import Decimal

from chuangwen.core.xlsx import workbook
from chuangwen.surveys.models import QuestionKind, Questionnaire
from chuangwen.surveys.spec import BandSpec, DesignSpec, OptionSpec, QuestionSpec, SectionSpec


def design_of(questionnaire: Questionnaire) -> DesignSpec:
    """The stored questionnaire as a design (for export)."""
    design = DesignSpec(
        title=questionnaire.name,
        audience=questionnaire.audience,
        threshold=questionnaire.threshold,
        intro=questionnaire.intro,
        sections=[SectionSpec(s.name, s.title, s.logic or {}) for s in questionnaire.sections.all()],
        xlsform=questionnaire.xlsform or {},
        bands=[BandSpec(b.grade, b.lower, b.measure) for b in questionnaire.bands.all()],
    )
    for q in (
        questionnaire.questions.select_related("section").prefetch_related("options").order_by("order", "id")
    ):
        design.questions.append(
            QuestionSpec(
                name=q.name, label=q.label, kind=q.kind, section=q.section.name if q.section else "",
                required=q.required, hint=q.hint, measure=q.measure, indicator_code=q.indicator_code,
                is_screening=q.is_screening, screen_min=q.screen_min, screen_max=q.screen_max,
                scale_min=q.scale_min, scale_max=q.scale_max, count_unsure=q.count_unsure,
                threshold=q.threshold, logic=q.logic or {}, list_name=(q.logic or {}).get("list_name", ""),
                options=[OptionSpec(o.name, o.label, o.value, o.ends_interview, o.extra or {}) for o in q.options.all()],
            )
        )  # fmt: skip
    return design


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


_TYPES = {
    QuestionKind.INTEGER: "integer",
    QuestionKind.TEXT: "text",
    QuestionKind.DECIMAL: "decimal",
    QuestionKind.NOTE: "note",
    QuestionKind.CALCULATE: "calculate",
    QuestionKind.DATE: "date",
    QuestionKind.TIME: "time",
    QuestionKind.DATETIME: "dateTime",
    QuestionKind.GEOPOINT: "geopoint",
    QuestionKind.ACKNOWLEDGE: "acknowledge",
}
SURVEY_EXTRA = ["screening", "measure", "indicator", "count_unsure", "threshold"]


def _type_cell(q: QuestionSpec, list_name: str) -> str:
    if q.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        return f"select_one {list_name}"
    if q.kind == QuestionKind.MULTIPLE:
        return f"select_multiple {list_name}"
    if q.kind == QuestionKind.RATING:
        return "range"
    if q.kind == QuestionKind.METADATA:
        return str(q.logic.get("metadata", "start"))
    return _TYPES.get(q.kind, "text")


def _screening_cell(q: QuestionSpec) -> str:
    if q.logic.get("screening"):
        return str(q.logic["screening"])
    if q.kind == QuestionKind.INTEGER and (q.screen_min is not None or q.screen_max is not None):
        parts = []
        if q.screen_min is not None:
            parts.append(f". >= {q.screen_min}")
        if q.screen_max is not None:
            parts.append(f". <= {q.screen_max}")
        return " and ".join(parts)
    return "yes" if q.is_screening else ""


def _texts(main: str, texts: dict, languages: list[str], lang: str) -> list[str]:
    """One cell per language; the main text fills the interview language's cell."""
    if not languages:
        return [main]
    return [str(texts.get(code, main if code == lang else "")) for code in languages]


def _headers(base: str, languages: list[str]) -> list[str]:
    return [base] if not languages else [f"{base}::{code}" for code in languages]


def _group_path(name: str, sections: dict[str, SectionSpec]) -> list[str]:
    path: list[str] = []
    while name and name not in path:
        path.insert(0, name)
        name = str(sections[name].logic.get("parent", "")) if name in sections else ""
    return path


def write_xlsform(design: DesignSpec) -> bytes:
    """The design as a standard XLSForm (pyxform and KoboToolbox read it) with this product's
    scoring columns as extra columns; reading it back gives the same design."""
    form = design.xlsform or {}
    languages = [code for code in form.get("languages", []) if code != "default"]
    lang = str(form.get("language") or (languages[0] if languages else ""))
    buffer = io.BytesIO()
    # Not constant memory: the survey and choices sheets grow side by side.
    book = workbook(buffer, constant_memory=False, in_memory=True)
    bold = book.add_format({"bold": True})
    survey = book.add_worksheet("survey")
    head = ["type", "name", *_headers("label", languages), *_headers("hint", languages), "required",
            *_headers("required_message", languages), "relevant", "constraint",
            *_headers("constraint_message", languages), "calculation", "choice_filter", "default",
            "appearance", "parameters", *SURVEY_EXTRA]  # fmt: skip
    survey.write_row(0, 0, head, bold)
    option_extra = sorted({k for q in design.questions for o in q.options for k in o.extra if k != "labels"})
    choices = book.add_worksheet("choices")
    choices.write_row(
        0,
        0,
        ["list_name", "name", *_headers("label", languages), "score", "ends_interview", *option_extra],
        bold,
    )
    lists: dict[tuple, str] = {}
    used: set[str] = set()
    row, choice_row = 1, 1
    sections = {s.name: s for s in design.sections}
    open_path: list[str] = []

    def move_to(path: list[str]) -> None:
        nonlocal row
        common = 0
        while common < min(len(path), len(open_path)) and path[common] == open_path[common]:
            common += 1
        while len(open_path) > common:
            survey.write_row(row, 0, ["end group", open_path.pop()])
            row += 1
        for name in path[common:]:
            spec = sections.get(name, SectionSpec(name))
            logic = spec.logic or {}
            cells = {
                "type": "begin group", "name": name, "relevant": logic.get("relevant", ""),
                "appearance": logic.get("appearance", ""),
            }  # fmt: skip
            values = [cells.get(h, "") for h in head]
            for i, text in enumerate(_texts(spec.title, logic.get("labels", {}), languages, lang)):
                values[2 + i] = text
            survey.write_row(row, 0, values)
            row += 1
            open_path.append(name)

    for q in design.questions:
        move_to(_group_path(q.section, sections) if q.section else [])
        list_name = ""
        if q.options:
            signature = tuple(
                (o.name, o.label, _fmt(o.value), o.ends_interview, tuple(sorted(map(str, o.extra.items()))))
                for o in q.options
            )
            if signature not in lists:
                wanted = q.list_name or ("yes_no" if q.kind == QuestionKind.YES_NO else q.name)
                name = wanted if wanted not in used else q.name
                while name in used:
                    name += "_"
                used.add(name)
                lists[signature] = name
                for o in q.options:
                    extras = [str(o.extra.get(k, "")) for k in option_extra]
                    choices.write_row(
                        choice_row,
                        0,
                        [name, o.name, *_texts(o.label, o.extra.get("labels", {}), languages, lang), _fmt(o.value),
                         "yes" if o.ends_interview else "", *extras],
                    )  # fmt: skip
                    choice_row += 1
            list_name = lists[signature]
        logic = q.logic
        cells = {
            "type": _type_cell(q, list_name), "name": q.name,
            "required": "yes" if q.required else logic.get("required", ""),
            "relevant": logic.get("relevant", ""), "constraint": logic.get("constraint", ""),
            "calculation": logic.get("calculation", ""), "choice_filter": logic.get("choice_filter", ""),
            "default": logic.get("default", ""), "appearance": logic.get("appearance", ""),
            "parameters": f"start={q.scale_min} end={q.scale_max} step=1" if q.kind == QuestionKind.RATING else "",
            "screening": _screening_cell(q), "measure": q.measure, "indicator": q.indicator_code,
            "count_unsure": "yes" if q.count_unsure else "", "threshold": _fmt(q.threshold),
        }  # fmt: skip
        if q.kind in (QuestionKind.CALCULATE, QuestionKind.METADATA):
            cells["required"] = ""
        values = [cells.get(h, "") for h in head]
        at = 2
        for _base, main, texts in (
            ("label", q.label, logic.get("labels", {})),
            ("hint", q.hint, logic.get("hints", {})),
        ):
            for text in _texts(main, texts, languages, lang):
                values[at] = text
                at += 1
        for base in ("required_message", "constraint_message"):
            start = head.index(_headers(base, languages)[0])
            texts = logic.get(base) or {}
            if isinstance(texts, dict):
                if not languages:
                    values[start] = next(iter(texts.values()), "")
                else:
                    for i, code in enumerate(languages):
                        values[start + i] = str(texts.get(code, ""))
        if q.kind in (QuestionKind.CALCULATE, QuestionKind.METADATA):
            values[2 : 2 + max(1, len(languages))] = [""] * max(1, len(languages))
        survey.write_row(row, 0, values)
        row += 1
    move_to([])
    settings = book.add_worksheet("settings")
    settings.write_row(
        0, 0, ["form_title", "form_id", "version", "default_language", "audience", "threshold", "intro"], bold
    )
    settings.write_row(
        1,
        0,
        [design.title, form.get("form_id", ""), form.get("version", ""),
         form.get("default_language", "") if form.get("default_language") != "default" else "",
         design.audience, _fmt(design.threshold), design.intro],
    )  # fmt: skip
    grades = book.add_worksheet("grades")
    grades.write_row(0, 0, ["measure", "grade", "above"], bold)
    for i, band in enumerate(design.bands, start=1):
        grades.write_row(i, 0, [band.measure, band.grade, _fmt(band.lower)])
    survey.set_column(2, 2, 48)
    choices.set_column(2, 2, 24)
    book.close()
    return buffer.getvalue()
