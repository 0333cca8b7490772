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
