"""API routes of the questionnaires: designs, rounds and quota progress, submission (by an
enumerator, or publicly by token), and rates. Signed-in routes fetch through the scoping helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from chuangwen.accounts.permissions import COLLECT_SURVEYS, READ_SURVEY_RESULTS, SURVEY_USERS, has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core import capture
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Unit
from chuangwen.surveys import sampling
from chuangwen.surveys.analysis import Analysis
from chuangwen.surveys.compiled import SubmissionInvalid
from chuangwen.surveys.models import Channel, Questionnaire, Quota, Round
from chuangwen.surveys.submission import AlreadyAnswered, hit_rate_limit, public_areas, submit_response
from chuangwen.surveys.views.public import device_id, is_accepting, public_round, rate_key, remember_device

router = Router(tags=["surveys"])


def _require(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError("forbidden")


class OptionOut(Schema):
    name: str
    label: str
    value: float | None
    ends_interview: bool


class QuestionOut(Schema):
    name: str
    label: str
    hint: str
    kind: str
    section: str
    required: bool
    measure: str
    indicator_code: str
    is_screening: bool
    screen_min: int | None
    screen_max: int | None
    scale_min: int | None
    scale_max: int | None
    # The XLSForm logic as written (relevant, constraint, required, calculation, choice_filter,
    # screening, messages and labels per language, group path): see docs/surveys.md.
    logic: dict[str, Any]
    options: list[OptionOut]


class QuestionnaireSummary(Schema):
    id: int
    campaign_id: int
    name: str
    audience: str
    status: str
    threshold: float


class QuestionnaireOut(QuestionnaireSummary):
    intro: str
    questions: list[QuestionOut]


class RoundOut(Schema):
    id: int
    questionnaire_id: int
    name: str
    mode: str
    status: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class QuotaOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    sex: str
    age_min: int | None
    age_max: int | None
    target: int
    done: int
    remaining: int


class SubmissionIn(Schema):
    idempotency_key: str
    unit_id: int
    answers: dict[str, Any]
    started_at: dt.datetime | None = None
    # When the interview was saved on the phone (sent later by the offline queue, docs/offline.md).
    captured_at: dt.datetime | None = None


class PublicSubmissionIn(Schema):
    idempotency_key: str
    unit_id: int
    answers: dict[str, Any]
    phone: str = ""
    device_id: str = ""


class SubmissionOut(Schema):
    id: int
    status: str
    created: bool


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}


class AreaOut(Schema):
    id: int
    name: str


class PublicQuestionnaireOut(Schema):
    round: str
    accepting: bool
    require_phone: bool
    questionnaire: QuestionnaireOut
    areas: list[AreaOut]


class RateOut(Schema):
    key: str
    label: str
    measure: str
    n: int
    answered: int
    rate: float | None
    low: float | None
    high: float | None
    threshold: float
    grade: str
    below: bool
    clearly_below: bool


class RatesOut(Schema):
    round_id: int
    by: str
    measure: str
    rates: list[RateOut]


def questionnaire_data(questionnaire: Questionnaire) -> dict[str, Any]:
    questions = (
        questionnaire.questions.select_related("section").prefetch_related("options").order_by("order", "id")
    )
    return {
        "id": questionnaire.pk,
        "campaign_id": questionnaire.campaign_id,
        "name": questionnaire.name,
        "audience": questionnaire.audience,
        "status": questionnaire.status,
        "threshold": float(questionnaire.threshold),
        "intro": questionnaire.intro,
        "questions": [
            {
                **{k: getattr(q, k) for k in QuestionOut.model_fields if k not in ("section", "options")},
                "section": q.section.name if q.section else "",
                "options": [
                    {
                        "name": o.name,
                        "label": o.label,
                        "value": float(o.value) if o.value is not None else None,
                        "ends_interview": o.ends_interview,
                    }
                    for o in q.options.all()
                ],
            }
            for q in questions
        ],
    }


@router.get(
    "/questionnaires", response=list[QuestionnaireSummary], summary="Questionnaires the caller can see"
)
def list_questionnaires(request: HttpRequest, status: str = ""):
    _require(request, SURVEY_USERS)
    qs = scoped(Questionnaire.objects.all(), request.auth)
    return qs.filter(status=status) if status else qs


@router.get(
    "/questionnaires/{questionnaire_id}",
    response=QuestionnaireOut,
    summary="A questionnaire with its questions",
)
def get_questionnaire(request: HttpRequest, questionnaire_id: int):
    _require(request, SURVEY_USERS)
    return questionnaire_data(
        get_scoped_or_404(Questionnaire.objects.all(), request.auth, pk=questionnaire_id)
    )


@router.get("/rounds", response=list[RoundOut], summary="Survey rounds the caller can see")
def list_rounds(request: HttpRequest, status: str = "", questionnaire_id: int | None = None):
    _require(request, SURVEY_USERS)
    qs = scoped(Round.objects.all(), request.auth)
    if status:
        qs = qs.filter(status=status)
    if questionnaire_id is not None:
        qs = qs.filter(questionnaire_id=questionnaire_id)
    return qs


@router.get(
    "/rounds/{round_id}/progress", response=list[QuotaOut], summary="Quota progress within the caller's scope"
)
def round_progress(request: HttpRequest, round_id: int):
    _require(request, SURVEY_USERS)
    round_ = get_scoped_or_404(Round.objects.all(), request.auth, pk=round_id)
    quotas = scoped(Quota.objects.filter(round=round_).select_related("unit"), request.auth)
    return [
        {
            "id": p.quota.pk,
            "unit_id": p.quota.unit_id,
            "unit_name": p.quota.unit.name,
            "sex": p.quota.sex,
            "age_min": p.quota.age_min,
            "age_max": p.quota.age_max,
            "target": p.quota.target,
            "done": p.done,
            "remaining": p.remaining,
        }
        for p in sampling.quota_progress(round_, quotas)
    ]


def _stored(response: Any, created: bool) -> Status:
    return Status(201 if created else 200, {"id": response.pk, "status": response.status, "created": created})


@router.post(
    "/rounds/{round_id}/responses",
    response={200: SubmissionOut, 201: SubmissionOut, 400: ErrorOut, 409: ErrorOut},
    summary="Submit an interview (enumerator); a retry with the same idempotency key stores once",
    url_name="surveys_submit",
)
def submit(request: HttpRequest, round_id: int, payload: SubmissionIn):
    _require(request, COLLECT_SURVEYS)
    round_ = get_scoped_or_404(
        Round.objects.select_related("questionnaire__campaign__root_unit"), request.auth, pk=round_id
    )
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        return Status(400, {"detail": _("Unknown area."), "errors": {"unit_id": _("Unknown area.")}})
    try:
        response, created = submit_response(
            round_,
            unit=unit,
            answers=payload.answers,
            idempotency_key=payload.idempotency_key,
            channel=Channel.ENUMERATOR,
            actor=request.auth,
            started_at=payload.started_at,
            submitted_at=capture.captured_at(payload.captured_at) if payload.captured_at else None,
        )
    except SubmissionInvalid as exc:
        return Status(400, {"detail": str(exc), "errors": exc.errors})
    except DomainError as exc:
        return Status(exc.status, {"detail": str(exc)})
    return _stored(response, created)


@router.get(
    "/public/{token}", response=PublicQuestionnaireOut, auth=None, summary="A public questionnaire (no login)"
)
def public_questionnaire(request: HttpRequest, token: str, response: HttpResponse):
    round_ = public_round(token)
    device, _new = device_id(request)
    remember_device(response, device, request)
    return {
        "round": round_.name,
        "accepting": is_accepting(round_),
        "require_phone": round_.require_phone,
        "questionnaire": questionnaire_data(round_.questionnaire),
        "areas": [{"id": u.pk, "name": u.name} for u in public_areas(round_)],
    }


@router.post(
    "/public/{token}/responses",
    response={200: SubmissionOut, 201: SubmissionOut, 400: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Submit a public response: one per device and phone number, rate-limited",
)
def public_submit(request: HttpRequest, token: str, payload: PublicSubmissionIn, response: HttpResponse):
    round_ = public_round(token)
    if not hit_rate_limit(rate_key(round_, request), round_.rate_limit_per_hour):
        return Status(429, {"detail": _("Too many responses from your network; please try again later.")})
    device, new = device_id(request)
    if new and 16 <= len(payload.device_id) <= 64:
        device = payload.device_id
    remember_device(response, device, request)
    unit = public_areas(round_).filter(pk=payload.unit_id).first()
    if unit is None:
        return Status(400, {"detail": _("Unknown area."), "errors": {"unit_id": _("Unknown area.")}})
    try:
        stored, created = submit_response(
            round_,
            unit=unit,
            answers=payload.answers,
            idempotency_key=payload.idempotency_key,
            channel=Channel.PUBLIC,
            device_id=device,
            phone=payload.phone,
        )
    except SubmissionInvalid as exc:
        return Status(400, {"detail": str(exc), "errors": exc.errors})
    except AlreadyAnswered as exc:
        return Status(409, {"detail": str(exc)})
    except DomainError as exc:
        return Status(exc.status, {"detail": str(exc)})
    return _stored(stored, created)


@router.get("/rounds/{round_id}/rates", response=RatesOut, summary="Rates with 95% Wilson intervals")
def round_rates(request: HttpRequest, round_id: int, by: str = "question", measure: str = ""):
    _require(request, READ_SURVEY_RESULTS)
    round_ = get_scoped_or_404(Round.objects.select_related("questionnaire"), request.auth, pk=round_id)
    analysis = Analysis(round_.questionnaire, [round_], request.auth)
    tables = {
        "question": analysis.by_question,
        "indicator": analysis.by_indicator,
        "area": lambda: analysis.by_area(measure),
        "unit": lambda: analysis.by_unit(measure),
    }
    if by not in tables:
        raise DomainError(_("Rates can be grouped by question, indicator, area or unit."))
    rates = [{**r.as_dict(), "key": str(r.key)} for r in tables[by]()]
    return {"round_id": round_.pk, "by": by, "measure": measure, "rates": rates}
