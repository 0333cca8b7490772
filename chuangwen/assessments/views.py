"""Pages of the monthly assessment: months and ranking, rules, a unit's result and history,
cards and summons. Thin: a role check, a scoped fetch, a form, a service, a redirect."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped, unit_choices
from chuangwen.assessments import exports, queries, services
from chuangwen.assessments.forms import CardForm, RulesForm, SummonsForm, parse_ids
from chuangwen.assessments.models import Card, RuleKind, Summons
from chuangwen.assessments.permissions import MANAGE_ASSESSMENT, READ_ASSESSMENT, READ_RANKING
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Unit
from chuangwen.problems.models import Problem, UnitCard


@role_required(*READ_ASSESSMENT)
def index(request: HttpRequest) -> HttpResponse:
    campaign = queries.campaign_for(request.user, request.GET.get("campaign"))
    months = queries.months_for(request.user, campaign)
    today = timezone.localdate()
    return render(
        request,
        "assessments/index.html",
        {
            "campaign": campaign,
            "months": months,
            "can_manage": has_any_role(request.user, MANAGE_ASSESSMENT),
            "default_month": f"{today:%Y-%m}",
        },
    )


@role_required(*MANAGE_ASSESSMENT)
def rules(request: HttpRequest) -> HttpResponse:
    campaign = queries.campaign_for(request.user, request.GET.get("campaign"))
    config, rule_rows = services.settings_for(campaign)
    initial = {"base_score": config.base_score, "unit_kinds": config.unit_kinds}
    form = RulesForm(request.POST or None, rules=rule_rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        inputs = [
            services.RuleInput(kind, data[f"points_{kind}"], data[f"cap_{kind}"], data[f"active_{kind}"])
            for kind in form.kinds
        ]
        try:
            services.save_rules(
                campaign, data["base_score"], inputs, request.user, data["unit_kinds"], request
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("assessments:index")
    return render(request, "assessments/rules.html", {"form": form, "campaign": campaign})


@role_required(*MANAGE_ASSESSMENT)
@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    campaign = queries.campaign_for(request.user, request.POST.get("campaign"))
    try:
        month = services.compute_month(campaign, request.POST.get("month"), request.user, request)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:index")
    messages.success(request, _("Computed."))
    return redirect("assessments:month", pk=month.pk)


@role_required(*READ_ASSESSMENT)
def month(request: HttpRequest, pk: int) -> HttpResponse:
    row = queries.month_for(request.user, pk)
    results = queries.results_for(request.user, row)
    page = Paginator(results, 100).get_page(request.GET.get("page"))
    chart = [(r.unit.display_name, float(r.score)) for r in page]
    return render(
        request,
        "assessments/month.html",
        {
            "month": row,
            "page": page,
            "chart": chart,
            # One 24 px bar per unit on the page and room for the axis.
            "chart_height": min(2400, 60 + 24 * len(chart)),
            "kinds": RuleKind.choices,
            "can_manage": has_any_role(request.user, MANAGE_ASSESSMENT),
            "can_export": has_any_role(request.user, READ_RANKING),
        },
    )


@role_required(*MANAGE_ASSESSMENT)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    row = queries.month_for(request.user, pk)
    version = request.POST.get("version")
    try:
        services.publish_month(row, request.user, int(version) if version else None, request)
        messages.success(request, _("Published: the units can now see their results."))
    except (DomainError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("assessments:month", pk=row.pk)


@role_required(*READ_RANKING)
def export(request: HttpRequest, pk: int) -> FileResponse:
    row = queries.month_for(request.user, pk)
    out = exports.month_xlsx(row, queries.results_for(request.user, row))
    return FileResponse(out, as_attachment=True, filename=f"assessment-{row.month:%Y-%m}.xlsx")


@role_required(*READ_ASSESSMENT)
def result(request: HttpRequest, pk: int) -> HttpResponse:
    row = queries.result_for(request.user, pk)
    return render(request, "assessments/result.html", {"result": row, "lines": list(row.lines.all())})


@role_required(*READ_ASSESSMENT)
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=pk)
    campaign = queries.campaign_for(request.user, request.GET.get("campaign"))
    context = queries.history(request.user, unit, campaign)
    context.update({"unit": unit, "campaign": campaign})
    return render(request, "assessments/unit_history.html", context)


@role_required(*READ_ASSESSMENT)
def cards(request: HttpRequest) -> HttpResponse:
    campaign = queries.campaign_for(request.user, request.GET.get("campaign"))
    rows = scoped(Card.objects.filter(campaign=campaign).select_related("unit", "issued_by"), request.user)
    auto = scoped(UnitCard.objects.filter(campaign=campaign), request.user)
    return render(
        request,
        "assessments/cards.html",
        {
            "campaign": campaign,
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "auto": auto.select_related("unit")[:50],
            "can_manage": has_any_role(request.user, MANAGE_ASSESSMENT),
        },
    )


def _units(campaign) -> object:
    return Unit.objects.under(campaign.root_unit, include_self=False).filter(is_active=True).order_by("path")


@role_required(*MANAGE_ASSESSMENT)
def card_new(request: HttpRequest) -> HttpResponse:
    campaign = queries.campaign_for(request.user, request.GET.get("campaign"))
    form = CardForm(request.POST or None, units=_units(campaign) & unit_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problem = None
        if data["problem"]:
            problem = scoped(Problem.objects.all(), request.user).filter(pk=data["problem"]).first()
            if problem is None:
                form.add_error("problem", _("No such problem."))
        issued_at = None
        if data["issued_on"]:
            issued_at = timezone.make_aware(dt.datetime.combine(data["issued_on"], dt.time(12)))
        if not form.errors:
            try:
                services.record_card(
                    campaign,
                    data["unit"],
                    data["color"],
                    data["reason"],
                    request.user,
                    problem,
                    issued_at,
                    request,
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Card recorded."))
                return redirect("assessments:cards")
    return render(request, "assessments/form.html", {"form": form, "title": _("Record a card")})


@role_required(*READ_ASSESSMENT)
def summonses(request: HttpRequest) -> HttpResponse:
    campaign = queries.campaign_for(request.user, request.GET.get("campaign"))
    rows = scoped(Summons.objects.filter(campaign=campaign).select_related("unit"), request.user)
    return render(
        request,
        "assessments/summonses.html",
        {
            "campaign": campaign,
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "can_manage": has_any_role(request.user, MANAGE_ASSESSMENT),
        },
    )


@role_required(*READ_ASSESSMENT)
def summons(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_scoped_or_404(Summons.objects.select_related("unit", "created_by"), request.user, pk=pk)
    return render(
        request,
        "assessments/summons.html",
        {
            "summons": row,
            "problems": row.problems.all(),
            "cards": row.cards.all(),
            "unit_cards": row.unit_cards.all(),
            "can_manage": has_any_role(request.user, MANAGE_ASSESSMENT),
        },
    )


@role_required(*MANAGE_ASSESSMENT)
def summons_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    row = get_scoped_or_404(Summons.objects.all(), request.user, pk=pk) if pk else None
    campaign = row.campaign if row else queries.campaign_for(request.user, request.GET.get("campaign"))
    form = SummonsForm(
        request.POST or None, instance=row, units=_units(campaign) & unit_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user = request.user
        data["problems"] = list(scoped(Problem.objects.filter(pk__in=parse_ids(data["problem_ids"])), user))
        data["cards"] = list(scoped(Card.objects.filter(pk__in=parse_ids(data["card_ids"])), user))
        data["unit_cards"] = list(
            scoped(UnitCard.objects.filter(pk__in=parse_ids(data["unit_card_ids"])), user)
        )
        version = request.POST.get("version")
        try:
            saved = services.save_summons(
                campaign, data, user, row, int(version) if version and row else None, request
            )
        except (DomainError, ValueError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("assessments:summons", pk=saved.pk)
    title = _("Edit summons") if row else _("Record a summons")
    return render(
        request,
        "assessments/form.html",
        {"form": form, "title": title, "version": row.version if row else None},
    )
