"""State changes of questionnaires, rounds, quotas and assignments; each writes an audit entry.

Collecting responses lives in `submission.py`, imports in `xlsform.py` and `hotline.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, F, FloatField, Value, When
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Role
from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.org.models import Unit
from chuangwen.surveys.models import (
    DEFAULT_BANDS,
    Answer,
    Assignment,
    GradeBand,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Quota,
    Response,
    ResponseStatus,
    Round,
    RoundStatus,
    Section,
)
from chuangwen.surveys.spec import BandSpec, DesignSpec

S = QuestionnaireStatus


def _locked(model: type, pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


# --- questionnaires -------------------------------------------------------------------------


@transaction.atomic
def create_questionnaire(
    actor: Any,
    campaign: Campaign,
    name: str,
    audience: str,
    threshold: Decimal | None = None,
    intro: str = "",
    design: DesignSpec | None = None,
    request: HttpRequest | None = None,
) -> Questionnaire:
    """A new draft questionnaire with the default grade bands, optionally filled from a design."""
    questionnaire = Questionnaire.objects.create(
        campaign=campaign,
        name=name,
        audience=audience,
        intro=intro or (design.intro if design else ""),
        threshold=threshold if threshold is not None else (design and design.threshold) or Decimal("0.80"),
        xlsform=(design.xlsform if design else {}),
    )
    GradeBand.objects.bulk_create(
        GradeBand(questionnaire=questionnaire, grade=grade, lower=lower) for grade, lower in DEFAULT_BANDS
    )
    if design is not None:
        _write_design(questionnaire, design)
    log_action(
        actor,
        "surveys.questionnaire.create",
        questionnaire,
        {"name": name, "audience": audience, "questions": len(design.questions) if design else 0},
        request=request,
    )
    return questionnaire


@transaction.atomic
def update_questionnaire(
    questionnaire: Questionnaire, data: dict[str, Any], actor: Any, request: HttpRequest | None = None
) -> Questionnaire:
    """Change name, audience, introduction or threshold (allowed in every status)."""
    current = _locked(Questionnaire, questionnaire.pk)
    changes = {}
    for key in ("name", "audience", "intro", "threshold"):
        if key in data and getattr(current, key) != data[key]:
            changes[key] = [str(getattr(current, key)), str(data[key])]
            setattr(current, key, data[key])
    if changes:
        current.save(update_fields=[*changes, "updated_at"])
        log_action(actor, "surveys.questionnaire.update", current, changes, request=request)
    return current


_QUESTIONNAIRE_MOVES = {
    S.DRAFT: {S.OPEN},
    S.OPEN: {S.CLOSED, S.DRAFT},
    S.CLOSED: {S.OPEN},
}


@transaction.atomic
def set_questionnaire_status(
    questionnaire: Questionnaire, status: str, actor: Any, request: HttpRequest | None = None
) -> Questionnaire:
    """Open a draft for fieldwork, close it, reopen it, or take it back to draft while no
    response exists (a design with answers cannot change under them)."""
    current = _locked(Questionnaire, questionnaire.pk)
    if status not in _QUESTIONNAIRE_MOVES.get(current.status, set()):
        raise ConflictError(
            _("A questionnaire that is “%(old)s” cannot become “%(new)s”.")
            % {"old": current.get_status_display(), "new": S(status).label if status in S.values else status}
        )
    if status == S.OPEN and not current.questions.exists():
        raise DomainError(_("The questionnaire has no questions yet; import or add them first."))
    if status == S.DRAFT and Response.objects.filter(round__questionnaire=current).exists():
        raise DomainError(_("Responses have been collected; the design can no longer change."))
    old = current.status
    current.status = status
    current.save(update_fields=["status", "updated_at"])
    log_action(actor, "surveys.questionnaire.status", current, {"status": [old, status]}, request=request)
    return current


def _write_design(questionnaire: Questionnaire, design: DesignSpec) -> None:
    sections = {}
    for order, spec in enumerate(design.sections):
        sections[spec.name] = Section.objects.create(
            questionnaire=questionnaire, order=order, name=spec.name, title=spec.title, logic=spec.logic
        )
    for order, spec in enumerate(design.questions):
        question = Question.objects.create(
            questionnaire=questionnaire,
            section=sections.get(spec.section),
            order=order,
            name=spec.name,
            label=spec.label,
            hint=spec.hint,
            kind=spec.kind,
            required=spec.required,
            measure=spec.measure,
            indicator_code=spec.indicator_code,
            is_screening=spec.is_screening,
            screen_min=spec.screen_min,
            screen_max=spec.screen_max,
            scale_min=spec.scale_min,
            scale_max=spec.scale_max,
            count_unsure=spec.count_unsure,
            threshold=spec.threshold,
            logic=spec.logic,
        )
        Option.objects.bulk_create(
            Option(
                question=question,
                order=i,
                name=o.name,
                label=o.label,
                value=o.value,
                ends_interview=o.ends_interview,
                extra=o.extra,
            )
            for i, o in enumerate(spec.options)
        )
    if design.bands:
        _write_bands(questionnaire, design.bands)
    link_indicators(questionnaire)


def link_indicators(questionnaire: Questionnaire) -> int:
    """Point each question at the indicator its code names in the campaign's evaluation systems
    (one with that code, no guessing between several); returns how many are linked."""
    from chuangwen.indicators.models import Indicator

    by_code: dict[str, list[int]] = {}
    rows = Indicator.objects.filter(system__campaign_id=questionnaire.campaign_id).values_list("code", "pk")
    for code, pk in rows:
        by_code.setdefault(code.strip(), []).append(pk)
    linked = 0
    for question in questionnaire.questions.all():
        hits = by_code.get(question.indicator_code.strip(), []) if question.indicator_code else []
        target = hits[0] if len(hits) == 1 else None
        if question.indicator_id != target:
            question.indicator_id = target
            question.save(update_fields=["indicator"])
        linked += target is not None
    return linked


def _write_bands(questionnaire: Questionnaire, bands: list[BandSpec]) -> None:
    questionnaire.bands.all().delete()
    GradeBand.objects.bulk_create(
        GradeBand(questionnaire=questionnaire, measure=b.measure, grade=b.grade, lower=b.lower) for b in bands
    )


@transaction.atomic
def replace_design(
    questionnaire: Questionnaire, design: DesignSpec, actor: Any, request: HttpRequest | None = None
) -> Questionnaire:
    """Replace every section, question and option (an XLSForm import). Only a draft without
    responses can be replaced; settings in the design update the questionnaire."""
    current = _locked(Questionnaire, questionnaire.pk)
    if not current.is_editable:
        raise DomainError(_("Only a draft questionnaire can be replaced; take it back to draft first."))
    if Response.objects.filter(round__questionnaire=current).exists():
        raise DomainError(_("Responses have been collected; the design can no longer change."))
    Option.objects.filter(question__questionnaire=current).delete()
    current.questions.all().delete()
    current.sections.all().delete()
    _write_design(current, design)
    fields = ["updated_at", "xlsform"]
    current.xlsform = design.xlsform
    for key in ("audience", "threshold", "intro"):
        value = getattr(design, key)
        if value not in ("", None):
            setattr(current, key, value)
            fields.append(key)
    if design.title:
        current.name = design.title[:120]
        fields.append("name")
    current.save(update_fields=fields)
    log_action(
        actor,
        "surveys.questionnaire.import",
        current,
        {"sections": len(design.sections), "questions": len(design.questions)},
        request=request,
    )
    return current


@transaction.atomic
def update_question(
    question: Question,
    data: dict[str, Any],
    option_values: dict[int, Decimal | None],
    actor: Any,
    request: HttpRequest | None = None,
) -> Question:
    """Change how a question is read and scored: wording, measure, indicator, threshold, the
    value of each option (基本满意 0.8 or 1) and whether “don't know” counts. Stored scores are
    rewritten, so rates always follow the current values."""
    current = _locked(Question, question.pk)
    changes: dict[str, Any] = {}
    for key in ("label", "hint", "required", "measure", "indicator_code", "threshold", "count_unsure"):
        if key in data and getattr(current, key) != data[key]:
            changes[key] = [str(getattr(current, key)), str(data[key])]
            setattr(current, key, data[key])
    if "required" in changes and not current.questionnaire.is_editable:
        raise DomainError(
            _("Whether a question is required can change only while the questionnaire is a draft.")
        )
    if changes:
        current.save(update_fields=list(changes))
        if "indicator_code" in changes:
            link_indicators(current.questionnaire)
    for option in current.options.select_for_update():
        if option.pk in option_values and option.value != option_values[option.pk]:
            changes[f"option:{option.name}"] = [str(option.value), str(option_values[option.pk])]
            option.value = option_values[option.pk]
            option.save(update_fields=["value"])
    if changes:
        Questionnaire.objects.filter(pk=current.questionnaire_id).update(updated_at=timezone.now())
        rescore(current)
        log_action(actor, "surveys.question.update", current, changes, request=request)
    return current


def rescore(question: Question) -> int:
    """Rewrite the stored scores of a question's answers from the current option values (one
    UPDATE); void responses keep no score."""
    answers = Answer.objects.filter(question=question, response__status=ResponseStatus.COMPLETE)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        whens = []
        for option in question.options.all():
            if option.value is not None:
                score = float(option.value)
            else:
                score = 0.0 if question.count_unsure else None
            whens.append(When(option_id=option.pk, then=Value(score, output_field=FloatField())))
        return answers.update(score=Case(*whens, default=Value(None, output_field=FloatField())))
    if (
        question.kind == QuestionKind.RATING
        and question.scale_max
        and question.scale_max > (question.scale_min or 0)
    ):
        low, span = question.scale_min or 0, question.scale_max - (question.scale_min or 0)
        return answers.update(score=(Cast(F("number"), FloatField()) - low) / float(span))
    return 0


@transaction.atomic
def set_bands(
    questionnaire: Questionnaire, bands: list[BandSpec], actor: Any, request: HttpRequest | None = None
) -> None:
    """Replace the grade bands (e.g. A > 80 %, B > 75 %, C the rest)."""
    current = _locked(Questionnaire, questionnaire.pk)
    grades = [(b.measure, b.grade) for b in bands]
    if len(set(grades)) != len(grades):
        raise DomainError(_("Each grade may appear once per measure."))
    for measure in {b.measure for b in bands}:
        if not any(b.lower is None for b in bands if b.measure == measure):
            raise DomainError(_("Each measure needs a last grade with no lower limit (e.g. C ≤ 75%)."))
    before = [str(b) for b in current.bands.all()]
    _write_bands(current, bands)
    current.save(update_fields=["updated_at"])
    log_action(
        actor,
        "surveys.bands.update",
        current,
        {"bands": [before, [f"{b.measure} {b.grade} {b.lower}" for b in bands]]},
        request=request,
    )


# --- rounds ----------------------------------------------------------------------------------


@transaction.atomic
def save_round(form: Any, actor: Any, request: HttpRequest | None = None) -> Round:
    """Create or edit a round from its form."""
    created = form.instance.pk is None
    if not created:
        _locked(Round, form.instance.pk)
    round_ = form.save()
    log_action(
        actor,
        "surveys.round.create" if created else "surveys.round.update",
        round_,
        {k: str(v) for k, v in form.cleaned_data.items() if k in form.changed_data},
        request=request,
    )
    return round_


_ROUND_MOVES = {
    RoundStatus.PLANNED: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: {RoundStatus.OPEN},
}


@transaction.atomic
def set_round_status(round_: Round, status: str, actor: Any, request: HttpRequest | None = None) -> Round:
    """Open a round for fieldwork (its questionnaire must be open), close it or reopen it."""
    current = _locked(Round, round_.pk)
    if status not in _ROUND_MOVES.get(current.status, set()):
        raise ConflictError(_("The round cannot change to this status now."))
    if status == RoundStatus.OPEN and current.questionnaire.status != S.OPEN:
        raise DomainError(_("Open the questionnaire before opening a round of it."))
    old = current.status
    current.status = status
    current.save(update_fields=["status"])
    log_action(actor, "surveys.round.status", current, {"status": [old, status]}, request=request)
    return current


@transaction.atomic
def create_area_quotas(
    round_: Round,
    parent: Unit,
    kind: str,
    per_area: int,
    actor: Any,
    split_sex: bool = False,
    age_bands: list[tuple[int, int]] | None = None,
    request: HttpRequest | None = None,
) -> int:
    """One quota per area of `kind` below `parent` (100 communities × 20 households), optionally
    split into cells by sex and age band, the target divided as evenly as whole numbers allow.
    Existing quotas of those areas are replaced."""
    if per_area <= 0:
        raise DomainError(_("The number of interviews per area must be positive."))
    areas = list(Unit.objects.under(parent).filter(kind=kind, is_active=True).order_by("path"))
    if not areas:
        raise DomainError(_("There are no active units of that kind below %(unit)s.") % {"unit": parent})
    sexes = ["M", "F"] if split_sex else [""]
    bands: list[tuple[int | None, int | None]] = list(age_bands or []) or [(None, None)]
    cells = [(s, b) for s in sexes for b in bands]
    if per_area < len(cells):
        raise DomainError(_("Too few interviews per area for that many sex and age cells."))
    Quota.objects.filter(round=round_, unit__in=areas).delete()
    base, extra = divmod(per_area, len(cells))
    quotas = [
        Quota(
            round=round_,
            unit=area,
            sex=sex,
            age_min=band[0],
            age_max=band[1],
            target=base + (1 if i < extra else 0),
        )
        for area in areas
        for i, (sex, band) in enumerate(cells)
    ]
    Quota.objects.bulk_create(quotas)
    log_action(
        actor,
        "surveys.quota.plan",
        round_,
        {"parent": str(parent), "kind": kind, "areas": len(areas), "per_area": per_area, "cells": len(cells)},
        request=request,
    )
    return len(quotas)


@transaction.atomic
def clear_quotas(round_: Round, actor: Any, request: HttpRequest | None = None) -> int:
    count, _detail = Quota.objects.filter(round=round_).delete()
    log_action(actor, "surveys.quota.clear", round_, {"removed": count}, request=request)
    return count


@transaction.atomic
def add_assignment(
    round_: Round, enumerator: Any, unit: Unit, actor: Any, note: str = "", request: HttpRequest | None = None
) -> Assignment:
    """Send an enumerator to an area for the round."""
    if not enumerator.has_role(Role.ENUMERATOR):
        raise DomainError(_("%(user)s is not a survey enumerator.") % {"user": enumerator})
    assignment, created = Assignment.objects.get_or_create(
        round=round_, enumerator=enumerator, unit=unit, defaults={"note": note}
    )
    if not created:
        raise DomainError(_("This enumerator is already assigned to that area."))
    log_action(actor, "surveys.assignment.create", assignment, {"unit": str(unit)}, request=request)
    return assignment


@transaction.atomic
def remove_assignment(assignment: Assignment, actor: Any, request: HttpRequest | None = None) -> None:
    log_action(
        actor, "surveys.assignment.delete", assignment, {"unit": str(assignment.unit)}, request=request
    )
    assignment.delete()
