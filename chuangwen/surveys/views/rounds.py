"""Pages for rounds of fieldwork: the round, its sampling plan (quotas), its enumerators, and
the enumerator's own list of where to go."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
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
from chuangwen.surveys import sampling, services
from chuangwen.surveys.forms import AssignmentForm, QuotaPlanForm, RoundForm
from chuangwen.surveys.models import Assignment, Questionnaire, Quota, Round, RoundMode, RoundStatus


def _round(request: HttpRequest, pk: int) -> Round:
    return get_scoped_or_404(Round.objects.select_related("questionnaire__campaign"), request.user, pk=pk)


@role_required(*MANAGE_SURVEYS)
def round_new(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_scoped_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    form = RoundForm(request.POST or None, instance=Round(questionnaire=questionnaire))
    if request.method == "POST" and form.is_valid():
        round_ = services.save_round(form, request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("surveys:round", pk=round_.pk)
    return render(request, "surveys/round_form.html", {"form": form, "questionnaire": questionnaire})


@role_required(*MANAGE_SURVEYS)
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        services.save_round(form, request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("surveys:round", pk=pk)
    return render(
        request,
        "surveys/round_form.html",
        {"form": form, "questionnaire": round_.questionnaire, "round": round_},
    )


@role_required(*SURVEY_USERS)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's quotas with progress (those in the user's scope), its enumerators and, for a
    public round, the link and QR code."""
    round_ = _round(request, pk)
    quotas = scoped(Quota.objects.filter(round=round_).select_related("unit"), request.user)
    progress = sampling.quota_progress(round_, quotas)
    assignments = scoped(
        Assignment.objects.filter(round=round_).select_related("unit", "enumerator"), request.user
    )
    public_url = request.build_absolute_uri(reverse("surveys_public:form", args=[round_.public_token]))
    return render(
        request,
        "surveys/round_detail.html",
        {
            "round": round_,
            "progress": progress,
            "target": sum(p.quota.target for p in progress),
            "done": sum(min(p.done, p.quota.target) for p in progress),
            "assignments": assignments,
            "public_url": public_url if round_.mode == RoundMode.PUBLIC else "",
            "can_manage": has_any_role(request.user, MANAGE_SURVEYS),
            "can_collect": has_any_role(request.user, COLLECT_SURVEYS)
            and round_.mode == RoundMode.ENUMERATOR,
            "can_read": has_any_role(request.user, READ_SURVEY_RESULTS),
            "statuses": RoundStatus,
        },
    )


@require_POST
@role_required(*MANAGE_SURVEYS)
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        services.set_round_status(round_, request.POST.get("status", ""), request.user, request=request)
        messages.success(request, _("Status changed."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("surveys:round", pk=pk)


@role_required(*MANAGE_SURVEYS)
def quotas(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the sample: N interviews in every area of a kind below a unit, optionally by sex and
    age band; or clear the plan."""
    round_ = _round(request, pk)
    form = QuotaPlanForm(
        request.POST if request.POST.get("action") == "plan" else None,
        user=request.user,
        initial={"parent": round_.questionnaire.campaign.root_unit_id},
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "clear":
                services.clear_quotas(round_, request.user, request=request)
                messages.success(request, _("The quotas were removed."))
                return redirect("surveys:quotas", pk=pk)
            if form.is_valid():
                data = form.cleaned_data
                count = services.create_area_quotas(
                    round_,
                    data["parent"],
                    data["kind"],
                    data["per_area"],
                    request.user,
                    split_sex=data["split_sex"],
                    age_bands=data["age_bands"],
                    request=request,
                )
                messages.success(request, _("%(n)d quotas planned.") % {"n": count})
                return redirect("surveys:round", pk=pk)
        except DomainError as exc:
            form.add_error(None, str(exc))
    count = Quota.objects.filter(round=round_).count()
    return render(request, "surveys/quotas.html", {"round": round_, "form": form, "count": count})


@role_required(*MANAGE_SURVEYS)
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    form = AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_assignment(
                round_, data["enumerator"], data["unit"], request.user, note=data["note"], request=request
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:assignments", pk=pk)
    rows = scoped(Assignment.objects.filter(round=round_).select_related("unit", "enumerator"), request.user)
    return render(request, "surveys/assignments.html", {"round": round_, "form": form, "assignments": rows})


@require_POST
@role_required(*MANAGE_SURVEYS)
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_scoped_or_404(Assignment.objects.select_related("unit"), request.user, pk=pk)
    round_id = assignment.round_id
    services.remove_assignment(assignment, request.user, request=request)
    messages.success(request, _("The assignment was removed."))
    return redirect("surveys:assignments", pk=round_id)


@role_required(*COLLECT_SURVEYS)
def mine(request: HttpRequest) -> HttpResponse:
    """Where I collect: the open enumerator rounds, my areas and what each quota still needs."""
    rounds = scoped(
        Round.objects.filter(status=RoundStatus.OPEN, mode=RoundMode.ENUMERATOR).select_related(
            "questionnaire"
        ),
        request.user,
    )
    cards = []
    for round_ in rounds:
        reach = sampling.collecting_scope(round_, request.user)
        quotas = [
            q for q in Quota.objects.filter(round=round_).select_related("unit") if reach.covers(q.unit)
        ]
        progress = sampling.quota_progress(round_, quotas)
        own = Assignment.objects.filter(round=round_, enumerator=request.user).select_related("unit")
        cards.append(
            {
                "round": round_,
                "progress": progress,
                "remaining": sum(p.remaining for p in progress),
                "assignments": own,
            }
        )
    return render(request, "surveys/mine.html", {"cards": cards})
