"""The office's scoring pages: configuration (versioned), recompute, 部门评价, negative list, bonus."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped, unit_choices
from chuangwen.core.errors import DomainError
from chuangwen.indicators.models import Indicator, Method, NegativeItem
from chuangwen.scoring import services
from chuangwen.scoring.forms import BonusForm, ConfigForm, DepartmentEvaluationForm, NegativeEventForm
from chuangwen.scoring.models import BonusAward, DepartmentEvaluation, NegativeEvent, ScoringConfig
from chuangwen.scoring.permissions import MANAGE_SCORING, READ_CONFIG
from chuangwen.scoring.views import current_campaign


def _campaign_or_404(request: HttpRequest):
    campaign = current_campaign(request)
    if campaign is None:
        raise Http404
    return campaign


@role_required(*READ_CONFIG)
def config_edit(request: HttpRequest) -> HttpResponse:
    campaign = _campaign_or_404(request)
    config = services.current_config(campaign)
    if request.method == "POST":
        if not request.user.has_role(*MANAGE_SCORING):
            raise PermissionDenied
        form = ConfigForm(request.POST)
        if form.is_valid():
            try:
                new = services.save_config(campaign, form.values(), actor=request.user, request=request)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved as version %(v)d.") % {"v": new.version})
                return redirect("scoring:config")
    else:
        form = ConfigForm(initial=ConfigForm.initial_from(config))
    versions = (
        ScoringConfig.objects.filter(campaign=campaign).select_related("created_by").order_by("-version")
    )
    return render(
        request,
        "scoring/config.html",
        {
            "campaign": campaign,
            "config": config,
            "form": form,
            "versions": versions,
            "can_edit": request.user.has_role(*MANAGE_SCORING),
        },
    )


@role_required(*READ_CONFIG)
def config_version(request: HttpRequest, pk: int) -> HttpResponse:
    config = get_scoped_or_404(
        ScoringConfig.objects.select_related("campaign", "created_by"), request.user, pk=pk
    )
    weights = [
        (year, [(str(Method(m).label), w) for m, w in table.items() if m in Method.values])
        for year, table in (config.weights or {}).items()
    ]
    return render(request, "scoring/config_version.html", {"config": config, "weights": weights})


@require_POST
@role_required(*MANAGE_SCORING)
def recompute_now(request: HttpRequest) -> HttpResponse:
    campaign = _campaign_or_404(request)
    run = services.recompute(campaign, actor=request.user)
    messages.success(
        request, _("Recomputed: %(total).2f of %(max).2f.") % {"total": run.total, "max": run.max_total}
    )
    return redirect(request.POST.get("next") or reverse("scoring:overview"))


@role_required(*READ_CONFIG)
def department_list(request: HttpRequest) -> HttpResponse:
    campaign = _campaign_or_404(request)
    indicators = [
        i
        for i in scoped(Indicator.objects.filter(system__campaign=campaign), request.user)
        .select_related("system")
        .order_by("system_id", "position", "id")
        if Method.DEPARTMENT in (i.methods or [])
    ]
    evaluations = {
        e.indicator_id: e
        for e in DepartmentEvaluation.objects.filter(campaign=campaign).select_related("entered_by")
    }
    rows = [(i, evaluations.get(i.pk)) for i in indicators]
    return render(request, "scoring/department_list.html", {"campaign": campaign, "rows": rows})


@role_required(*MANAGE_SCORING)
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_scoped_or_404(Indicator.objects.select_related("system__campaign"), request.user, pk=pk)
    campaign = indicator.system.campaign
    if campaign is None or Method.DEPARTMENT not in (indicator.methods or []):
        raise Http404
    evaluation = DepartmentEvaluation.objects.filter(campaign=campaign, indicator=indicator).first()
    if request.method == "POST":
        form = DepartmentEvaluationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_department_evaluation(
                    campaign,
                    indicator,
                    value=data["value"],
                    grade=data["grade"],
                    note=data["note"],
                    evidence=data["evidence"],
                    actor=request.user,
                    request=request,
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved. The score will be recomputed shortly."))
                return redirect("scoring:department_list")
    else:
        initial = {}
        if evaluation:
            initial = {"value": evaluation.value, "grade": evaluation.grade, "note": evaluation.note}
        form = DepartmentEvaluationForm(initial=initial)
    return render(
        request,
        "scoring/department_form.html",
        {
            "indicator": indicator,
            "evaluation": evaluation,
            "form": form,
            "bands": indicator.grade_bands.all(),
        },
    )


@role_required(*MANAGE_SCORING)
def negative_events(request: HttpRequest) -> HttpResponse:
    campaign = _campaign_or_404(request)
    items = NegativeItem.objects.filter(system__campaign=campaign)
    form = NegativeEventForm(
        request.POST or None, request.FILES or None, items=items, units=unit_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_negative_event(
                campaign,
                data["item"],
                occurred_on=data["occurred_on"],
                note=data["note"],
                unit=data["unit"],
                evidence=data["evidence"],
                actor=request.user,
                request=request,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded."))
            return redirect("scoring:negative")
    events = NegativeEvent.objects.filter(campaign=campaign).select_related("item", "unit", "recorded_by")
    return render(request, "scoring/negative.html", {"campaign": campaign, "form": form, "events": events})


@require_POST
@role_required(*MANAGE_SCORING)
def negative_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_scoped_or_404(NegativeEvent.objects.all(), request.user, pk=pk)
    try:
        services.withdraw_negative_event(event, actor=request.user, request=request)
        messages.success(request, _("Withdrawn."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("scoring:negative")


@role_required(*MANAGE_SCORING)
def bonus(request: HttpRequest) -> HttpResponse:
    campaign = _campaign_or_404(request)
    config = services.current_config(campaign)
    form = BonusForm(request.POST or None, rules=config.bonus_rules)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_bonus(
                campaign,
                rule_code=data["rule_code"],
                title=data["title"],
                points=data["points"],
                note=data["note"],
                actor=request.user,
                request=request,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded."))
            return redirect("scoring:bonus")
    awards = BonusAward.objects.filter(campaign=campaign).select_related("recorded_by")
    return render(
        request,
        "scoring/bonus.html",
        {"campaign": campaign, "form": form, "awards": awards, "config": config},
    )
