"""Collecting and reviewing responses: the enumerator's phone form, the list of responses, one
response, voiding it, the responses export and the 12345 callback import."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import (
    COLLECT_SURVEYS,
    MANAGE_SURVEYS,
    READ_SURVEY_RESULTS,
    SURVEY_USERS,
    has_any_role,
    role_required,
)
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.errors import DomainError
from chuangwen.core.xlsx import xlsx_response
from chuangwen.org.models import Unit
from chuangwen.surveys.compiled import SubmissionInvalid
from chuangwen.surveys.exports import export_responses
from chuangwen.surveys.forms import UploadForm, VoidForm
from chuangwen.surveys.hotline import import_callbacks
from chuangwen.surveys.models import Channel, QuestionKind, Quota, Response, Round, RoundMode
from chuangwen.surveys.sampling import collecting_scope
from chuangwen.surveys.submission import submit_response, void_response

PAGE_SIZE = 50


def question_fields(
    round_: Round, values: QueryDict | None = None, errors: dict[str, str] | None = None
) -> list:
    """The questions with what the template needs to draw them (and redraw them after an error)."""
    errors = errors or {}
    fields = []
    section = None
    questions = round_.questionnaire.questions.select_related("section").prefetch_related("options")
    for q in questions.order_by("order", "id"):
        given = values.getlist(f"q_{q.name}") if values is not None else []
        fields.append(
            {
                "q": q,
                "new_section": q.section if q.section_id != getattr(section, "pk", None) else None,
                "options": list(q.options.all()),
                "scale": range(q.scale_min or 0, (q.scale_max or 0) + 1)
                if q.kind == QuestionKind.RATING
                else [],
                "given": given,
                "first": given[0] if given else ("" if values is not None else _default(q)),
                "error": errors.get(q.name, ""),
            }
        )
        section = q.section
    return fields


def _default(question: Any) -> str:
    """An XLSForm `default` that is a plain value (an expression default is not prefilled)."""
    default = str((question.logic or {}).get("default", ""))
    return "" if "${" in default or "(" in default else default


def answers_from_post(round_: Round, data: QueryDict) -> dict[str, Any]:
    """The answers of a plain HTML form post, keyed by question name as the API takes them."""
    answers: dict[str, Any] = {}
    for q in round_.questionnaire.questions.all():
        key = f"q_{q.name}"
        if q.kind == QuestionKind.MULTIPLE:
            picked = [v for v in data.getlist(key) if v]
            if picked:
                answers[q.name] = picked
        elif data.get(key, "").strip():
            answers[q.name] = data[key].strip()
    return answers


def collect_units(round_: Round, user: Any) -> list[Unit]:
    """The areas the user may collect in: the round's quota areas in reach, else every unit in reach."""
    reach = collecting_scope(round_, user)
    quota_units = [
        q.unit for q in Quota.objects.filter(round=round_).select_related("unit").order_by("unit__path")
    ]
    units = list({u.pk: u for u in quota_units if reach.covers(u)}.values())
    if units or quota_units:
        return units
    root = round_.questionnaire.campaign.root_unit
    return [
        u for u in Unit.objects.under(root).filter(is_active=True).order_by("path")[:2000] if reach.covers(u)
    ]


@role_required(*COLLECT_SURVEYS)
def collect(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone form. With JavaScript (static/js/surveys.js) answers are kept in the browser and
    queued until the server confirms them; without it the form posts here, with the same
    idempotency key on a resubmit."""
    round_ = get_scoped_or_404(
        Round.objects.select_related("questionnaire__campaign__root_unit"), request.user, pk=pk
    )
    units = collect_units(round_, request.user)
    errors: dict[str, str] = {}
    message = ""
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit_id")), None)
        try:
            if unit is None:
                raise DomainError(_("Choose the area of the interview."))
            _response, created = submit_response(
                round_,
                unit=unit,
                answers=answers_from_post(round_, request.POST),
                idempotency_key=request.POST.get("idempotency_key", ""),
                channel=Channel.ENUMERATOR,
                actor=request.user,
            )
        except SubmissionInvalid as exc:
            errors, message = exc.errors, _("Some answers need attention.")
        except DomainError as exc:
            message = str(exc)
        else:
            messages.success(request, _("Stored.") if created else _("Already stored; not stored twice."))
            return redirect("surveys:collect", pk=pk)
    values = request.POST if request.method == "POST" and (errors or message) else None
    context = {
        "round": round_,
        "units": units,
        "fields": question_fields(round_, values, errors),
        "message": message,
        "selected_unit": request.POST.get("unit_id", "") if values else "",
        "idempotency_key": (request.POST.get("idempotency_key") if values else "") or uuid.uuid4().hex,
        "endpoint": reverse("api:surveys_submit", kwargs={"round_id": round_.pk}),
        "is_open": round_.is_open and round_.questionnaire.status == "open",
    }
    return render(request, "surveys/collect.html", context, status=400 if message else 200)


@role_required(*SURVEY_USERS)
def responses(request: HttpRequest) -> HttpResponse:
    qs = scoped(Response.objects.select_related("unit", "round", "collected_by"), request.user)
    round_id = request.GET.get("round", "")
    round_ = None
    if round_id.isdigit():
        round_ = get_scoped_or_404(Round.objects.all(), request.user, pk=int(round_id))
        qs = qs.filter(round=round_)
    if not has_any_role(request.user, READ_SURVEY_RESULTS):
        qs = qs.filter(collected_by=request.user)  # an enumerator reviews the interviews they did
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/responses.html",
        {
            "page": page,
            "round": round_,
            "status": status,
            "can_read": has_any_role(request.user, READ_SURVEY_RESULTS),
        },
    )


@role_required(*SURVEY_USERS)
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_scoped_or_404(
        Response.objects.select_related("unit", "round__questionnaire", "collected_by", "screened_out_by"),
        request.user,
        pk=pk,
    )
    if not has_any_role(request.user, READ_SURVEY_RESULTS) and response.collected_by_id != request.user.pk:
        raise Http404  # an enumerator reviews the interviews they did, not a colleague's
    answers = response.answers.select_related("question", "option").order_by("question__order", "id")
    return render(
        request,
        "surveys/response_detail.html",
        {
            "response": response,
            "answers": answers,
            "can_manage": has_any_role(request.user, MANAGE_SURVEYS),
            "void_form": VoidForm(),
        },
    )


@require_POST
@role_required(*MANAGE_SURVEYS)
def response_void(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_scoped_or_404(Response.objects.all(), request.user, pk=pk)
    form = VoidForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give a reason for voiding the response."))
        void_response(response, form.cleaned_data["reason"], request.user, request=request)
        messages.success(request, _("The response is void and no longer counted."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("surveys:response", pk=pk)


@role_required(*READ_SURVEY_RESULTS)
def responses_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_scoped_or_404(Round.objects.select_related("questionnaire"), request.user, pk=pk)
    return xlsx_response(export_responses(round_, request.user), f"{round_.name}.xlsx")


@role_required(*MANAGE_SURVEYS)
def hotline_import(request: HttpRequest, pk: int) -> HttpResponse:
    """12345 callbacks from Excel: checked unless “write it” is ticked."""
    round_ = get_scoped_or_404(Round.objects.select_related("questionnaire"), request.user, pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_callbacks(
                round_,
                form.cleaned_data["file"].read(),
                request.user,
                commit=form.cleaned_data["commit"],
                request=request,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if form.cleaned_data["commit"] and report.ok:
                messages.success(
                    request,
                    _("%(n)d callbacks stored, %(s)d already there.")
                    % {"n": report.stored, "s": len(report.skipped)},
                )
                return redirect("surveys:round", pk=pk)
    return render(
        request,
        "surveys/hotline_import.html",
        {"round": round_, "form": form, "report": report, "is_hotline": round_.mode == RoundMode.HOTLINE},
    )


@role_required(*MANAGE_SURVEYS)
def hotline_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The blank callback list of this round: one column per question, choices as drop-downs."""
    from chuangwen.core.import_template import template_response
    from chuangwen.surveys.import_template import callback_template

    round_ = get_scoped_or_404(Round.objects.select_related("questionnaire"), request.user, pk=pk)
    return template_response(callback_template(round_), "12345回访导入模板.xlsx")
