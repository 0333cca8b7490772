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
        sections=[SectionSpec(s.name, s.title) for s in questionnaire.sections.all()],
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
                threshold=q.threshold,
                options=[OptionSpec(o.name, o.label, o.value, o.ends_interview) for o in q.options.all()],
            )
        )  # fmt: skip
    return design


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _type_cell(q: QuestionSpec, list_name: str) -> str:
    if q.kind == QuestionKind.SINGLE:
        return f"select_one {list_name}"
    if q.kind == QuestionKind.MULTIPLE:
        return f"select_multiple {list_name}"
    if q.kind == QuestionKind.YES_NO:
        return f"yes_no {list_name}"
    if q.kind == QuestionKind.RATING:
        return f"rating {q.scale_min} {q.scale_max}"
    return str(q.kind)


def _constraint_cell(q: QuestionSpec) -> str:
    if q.kind == QuestionKind.INTEGER:
        parts = []
        if q.screen_min is not None:
            parts.append(f". >= {q.screen_min}")
        if q.screen_max is not None:
            parts.append(f". <= {q.screen_max}")
        return " and ".join(parts)
    return ""


def write_xlsform(design: DesignSpec) -> bytes:
    """The design as an XLSForm-style workbook; reading it back gives the same design."""
    buffer = io.BytesIO()
    # Not constant memory: the survey and choices sheets grow side by side.
    book = workbook(buffer, constant_memory=False, in_memory=True)
    bold = book.add_format({"bold": True})
    survey = book.add_worksheet("survey")
    survey.write_row(
        0,
        0,
        [
            "type",
            "name",
            "label",
            "hint",
            "required",
            "constraint",
            "measure",
            "indicator",
            "count_unsure",
            "threshold",
        ],
        bold,
    )
    choices = book.add_worksheet("choices")
    choices.write_row(0, 0, ["list_name", "name", "label", "value", "ends_interview"], bold)
    lists: dict[tuple, str] = {}
    row, choice_row, section = 1, 1, ""
    titles = {s.name: s.title for s in design.sections}
    for q in design.questions:
        if q.section != section:
            if section:
                survey.write_row(row, 0, ["end group", section])
                row += 1
            if q.section:
                survey.write_row(row, 0, ["begin group", q.section, titles.get(q.section, "")])
                row += 1
            section = q.section
        list_name = ""
        if q.options:
            signature = tuple((o.name, o.label, _fmt(o.value), o.ends_interview) for o in q.options)
            if signature not in lists:
                lists[signature] = (
                    q.list_name if q.list_name and q.list_name not in lists.values() else q.name
                )
                for o in q.options:
                    choices.write_row(
                        choice_row,
                        0,
                        [lists[signature], o.name, o.label, _fmt(o.value), "yes" if o.ends_interview else ""],
                    )
                    choice_row += 1
            list_name = lists[signature]
        survey.write_row(
            row, 0,
            [_type_cell(q, list_name), q.name, q.label, q.hint, "yes" if q.required else "no", _constraint_cell(q),
             q.measure, q.indicator_code, "yes" if q.count_unsure else "", _fmt(q.threshold)],
        )  # fmt: skip
        row += 1
    if section:
        survey.write_row(row, 0, ["end group", section])
    settings = book.add_worksheet("settings")
    settings.write_row(0, 0, ["form_title", "audience", "threshold", "intro"], bold)
    settings.write_row(1, 0, [design.title, design.audience, _fmt(design.threshold), design.intro])
    grades = book.add_worksheet("grades")
    grades.write_row(0, 0, ["measure", "grade", "above"], bold)
    for i, band in enumerate(design.bands, start=1):
        grades.write_row(i, 0, [band.measure, band.grade, _fmt(band.lower)])
    survey.set_column(2, 2, 48)
    choices.set_column(2, 2, 24)
    book.close()
    return buffer.getvalue()
