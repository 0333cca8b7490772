"""Pages of the ledger: the year-end table, a unit's statement (page and .docx), the export,
the rules and credits. Units are fetched through the scoping helper."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.scope import get_scoped_or_404, scope_for
from chuangwen.campaigns.models import Campaign
from chuangwen.core.errors import DomainError
from chuangwen.ledger import services
from chuangwen.ledger.compute import UnitAccount, accounts, lost_detail, rules_for
from chuangwen.ledger.exports import statement_docx, table_xlsx
from chuangwen.ledger.forms import CreditForm, RulesForm
from chuangwen.ledger.models import Credit
from chuangwen.ledger.permissions import MANAGE, READ, READ_ALL, has_any_role, role_required
from chuangwen.org.models import Unit
from chuangwen.tasks.queries import pick_campaign

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _campaign_year(request: HttpRequest) -> tuple[Campaign, int]:
    campaign = pick_campaign(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise Http404
    year = request.GET.get("year", "")
    return campaign, int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else campaign.year


def _mine(request: HttpRequest, rows: list[UnitAccount]) -> list[UnitAccount]:
    scope = scope_for(request.user)
    if scope.everything:
        return rows
    return [a for a in rows if any(a.path.startswith(p) for p in scope.paths)]


def _account(request: HttpRequest, pk: int) -> tuple[Campaign, int, Unit, UnitAccount]:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=pk)
    campaign, year = _campaign_year(request)
    for account in accounts(campaign, year):
        if account.unit_id == unit.pk:
            return campaign, year, unit, account
    raise Http404


@role_required(*READ)
def index(request: HttpRequest) -> HttpResponse:
    campaign, year = _campaign_year(request)
    rows = _mine(request, accounts(campaign, year))
    return render(
        request,
        "ledger/index.html",
        {
            "campaign": campaign,
            "year": year,
            "page": Paginator(rows, 100).get_page(request.GET.get("page")),
            "can_manage": has_any_role(request.user, MANAGE),
            "can_export": has_any_role(request.user, READ_ALL),
        },
    )


@role_required(*READ)
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, year, unit_, account = _account(request, pk)
    credits = Credit.objects.filter(campaign=campaign, unit=unit_, awarded_on__year=year).select_related(
        "bonus"
    )
    context: dict[str, Any] = {
        "campaign": campaign,
        "year": year,
        "unit": unit_,
        "account": account,
        "lost": lost_detail(campaign, year, unit_),
        "credits": credits,
    }
    return render(request, "ledger/unit.html", context)


@role_required(*READ)
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, year, unit_, account = _account(request, pk)
    data = statement_docx(campaign, year, account, lost_detail(campaign, year, unit_))
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="statement-{unit_.pk}-{year}.docx"'
    return response


@role_required(*READ_ALL)
def export(request: HttpRequest) -> FileResponse:
    campaign, year = _campaign_year(request)
    return FileResponse(
        table_xlsx(year, accounts(campaign, year)), as_attachment=True, filename=f"year-end-{year}.xlsx"
    )


@role_required(*MANAGE)
def rules(request: HttpRequest) -> HttpResponse:
    campaign, year = _campaign_year(request)
    current = rules_for(campaign)
    form = RulesForm(request.POST or None, rules=current)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_rules(
                    campaign, request.user, form.cleaned_data["base_score"], form.rules(), request=request
                )
                messages.success(request, _("The year-end rules are saved."))
                return redirect("ledger:index")
            except DomainError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, _("Check the rules: %(errors)s") % {"errors": form.errors.as_text()})
    return render(
        request,
        "ledger/rules.html",
        {"campaign": campaign, "form": form, "credit_form": CreditForm(user=request.user, campaign=campaign)},
    )


@role_required(*MANAGE)
@require_POST
def credit(request: HttpRequest) -> HttpResponse:
    campaign, _year = _campaign_year(request)
    form = CreditForm(request.POST, user=request.user, campaign=campaign)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("ledger:rules")
    data = form.cleaned_data
    try:
        c = services.add_credit(
            campaign,
            request.user,
            unit=data["unit"],
            kind=data["kind"],
            title=data["title"],
            points=data["points"],
            awarded_on=data["awarded_on"],
            bonus=data["bonus"],
            request=request,
        )
        messages.success(request, _("Credit recorded for %(unit)s.") % {"unit": c.unit})
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("ledger:rules")
    return redirect("ledger:unit", pk=c.unit_id)


@role_required(*MANAGE)
def responsibilities(request: HttpRequest, pk: int) -> HttpResponse:
    """The office names the four responsibilities of a problem that lost points."""
    from chuangwen.ledger.forms import ResponsibilitiesForm
    from chuangwen.ledger.models import Responsibility
    from chuangwen.problems.models import Problem

    problem = get_scoped_or_404(Problem.objects.select_related("unit"), request.user, pk=pk)
    current = {r.role: r for r in Responsibility.objects.filter(problem=problem)}
    form = ResponsibilitiesForm(request.POST or None, user=request.user, current=current)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.name_responsibilities(problem, request.user, form.entries(), request=request)
                messages.success(request, _("The responsibilities are named and the units told."))
                return redirect("ledger:responsibilities", pk=pk)
            except DomainError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, form.errors.as_text())
    named = Responsibility.objects.filter(problem=problem).select_related("unit")
    return render(request, "ledger/responsibilities.html", {"problem": problem, "form": form, "named": named})
