"""The template of the 12345 callback import of a hotline round: one column per question."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangwen.core.import_template import TemplateColumn, TemplateSheet, template_xlsx
from chuangwen.org.models import Unit, UnitKind
from chuangwen.surveys.compiled import CQuestion, compile_questionnaire
from chuangwen.surveys.models import QuestionKind, Round
from chuangwen.surveys.models.design import CHOICE_KINDS


def _example(question: CQuestion) -> object:
    """An answer that passes the questionnaire's checks, so the example row imports."""
    if question.kind in CHOICE_KINDS:
        options = [o for o in question.options.values() if not o.ends_interview]
        return options[0].label if options else ""
    if question.kind == QuestionKind.RATING:
        return question.scale_max or ""
    if question.kind == QuestionKind.INTEGER:
        return question.screen_min if question.screen_min is not None else 1
    return ""


def callback_template(round_: Round) -> bytes:
    form = compile_questionnaire(round_.questionnaire)
    root = round_.questionnaire.campaign.root_unit
    area = (
        Unit.objects.under(root).filter(kind=UnitKind.COMMUNITY, is_active=True).order_by("path").first()
        or root
    )
    columns = [
        TemplateColumn(
            "工单编号",
            _("The work order the callback belongs to; each is stored once per round."),
            "GD20250601001",
            True,
        ),
        TemplateColumn(
            "所属社区",
            _("The community (or other unit) of the caller, inside the campaign's territory."),
            area.name,
            True,
            width=18,
        ),
        TemplateColumn("回访时间", _("When the callback was made (optional)."), "2025-06-03", width=14),
    ]
    for question in form.questions:
        choices = tuple(o.label for o in question.options.values()) if question.kind in CHOICE_KINDS else ()
        meaning = _("Answer to the question “%(label)s”.") % {"label": question.label}
        columns.append(
            TemplateColumn(
                question.label,
                meaning,
                _example(question),
                required=question.required,
                choices=choices,
                several=question.kind == QuestionKind.MULTIPLE,
                width=16,
            )
        )
    return template_xlsx(
        _("Template: 12345 callbacks of %(round)s") % {"round": round_.name},
        [TemplateSheet("12345回访", columns)],
        [_("One column per question of the round's questionnaire, headed by the question as written.")],
    )


def xlsform_template() -> bytes:
    """A small XLSForm to start a questionnaire from: a screening question and a rated one."""
    from chuangwen.surveys.models import Audience, Measure

    survey = TemplateSheet(
        "survey",
        [
            TemplateColumn(
                "type",
                _(
                    "An XLSForm type: select_one LIST, select_multiple LIST, integer, decimal, text, range "
                    "(a rating), note, calculate, date, time, geopoint, begin group / end group."
                ),
                required=True,
                choices=(
                    "select_one",
                    "select_multiple",
                    "integer",
                    "decimal",
                    "text",
                    "range",
                    "note",
                    "calculate",
                    "date",
                    "begin group",
                    "end group",
                ),
                several=True,
                width=20,
            ),
            TemplateColumn(
                "name",
                _("A short unique name of the question (letters, digits, _)."),
                required=True,
                width=12,
            ),
            TemplateColumn("label", _("The question as the respondent hears it."), required=True, width=40),
            TemplateColumn("hint", _("A hint for the enumerator (optional)."), width=20),
            TemplateColumn("required", _("yes when an answer is required."), choices=("yes", "no"), width=9),
            TemplateColumn(
                "relevant",
                _("When the question is asked, e.g. ${age} >= 18; otherwise it is skipped."),
                width=18,
            ),
            TemplateColumn(
                "constraint",
                _(
                    "A rule the answer must meet, e.g. . < 120; otherwise the message shows and it is asked again."
                ),
                width=18,
            ),
            TemplateColumn("constraint_message", _("The message when the constraint fails."), width=18),
            TemplateColumn(
                "screening",
                _(
                    "Screening: the respondent is in the population only if this holds, e.g. . >= 18 and . <= 65."
                ),
                width=22,
            ),
            TemplateColumn(
                "measure",
                _("What the question measures (its rate is named after it)."),
                choices=tuple(Measure.values),
                width=14,
            ),
            TemplateColumn("indicator", _("Code of the indicator it answers for (optional)."), width=10),
            TemplateColumn(
                "count_unsure",
                _("yes to count “don't know” in the rate's denominator."),
                choices=("yes", "no"),
                width=12,
            ),
            TemplateColumn("threshold", _("The pass mark of the rate, e.g. 0.8 (optional)."), width=10),
        ],
        rows=[
            [
                "integer",
                "age",
                "请问您的年龄是？",
                "",
                "yes",
                "",
                ". < 120",
                "年龄应小于120",
                ". >= 18 and . <= 65",
                "",
                "",
                "",
                "",
            ],
            [
                "select_one sat",
                "env",
                "您对本社区的环境卫生是否满意？",
                "",
                "yes",
                "${age} >= 18",
                "",
                "",
                "",
                "satisfaction",
                "",
                "",
                0.8,
            ],
        ],
    )
    choices = TemplateSheet(
        "choices",
        [
            TemplateColumn(
                "list_name", _("The LIST named in the survey sheet's type."), required=True, width=12
            ),
            TemplateColumn("name", _("A short name of the option."), required=True, width=12),
            TemplateColumn("label", _("The option as the respondent hears it."), required=True, width=20),
            TemplateColumn("score", _("Its score, 0–1 (or a percentage); empty for “don't know”."), width=8),
            TemplateColumn(
                "ends_interview",
                _("yes when picking it ends the interview (screening)."),
                choices=("yes", "no"),
                width=14,
            ),
        ],
        rows=[
            ["sat", "yes", "满意", 1, ""],
            ["sat", "partly", "基本满意", 0.8, ""],
            ["sat", "no", "不满意", 0, ""],
            ["sat", "unsure", "说不清", "", ""],
        ],
    )
    settings = TemplateSheet(
        "settings",
        [
            TemplateColumn("form_title", _("The questionnaire's title."), "社区文明创建满意度调查", width=24),
            TemplateColumn(
                "audience",
                _("Who answers it."),
                Audience.CITIZEN.value,
                choices=tuple(Audience.values),
                width=14,
            ),
        ],
    )
    return template_xlsx(
        _("Template: questionnaire (XLSForm)"),
        [survey, choices, settings],
        [
            _(
                "The XLSForm layout of ODK and KoboToolbox: the sheets survey, choices and settings; the example asks two questions."
            )
        ],
    )
