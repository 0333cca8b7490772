"""Pages of the door-to-door visits: rounds with their coverage, the phone page that records a
visit, the 五长 roster with its import, the ledger export."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped, unit_choices
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.core.xlsx import xlsx_response
from chuangwen.org.models import Grid
from chuangwen.visits import exports, services
from chuangwen.visits.forms import ImportForm, ProblemForm, RoundForm, VisitForm
from chuangwen.visits.models import Household, Outcome, Steward, Visit, VisitRound
from chuangwen.visits.permissions import MANAGE, READ, RECORD


def _grids(request: HttpRequest):
    return services.limit_to_own_grids(
        scoped(Grid.objects.select_related("unit"), request.user), request.user, ""
    )


def _households(request: HttpRequest, visit_round: VisitRound):
    qs = scoped(services.round_households(visit_round), request.user)
    return services.limit_to_own_grids(qs, request.user)


@role_required(*READ)
def index(request: HttpRequest) -> HttpResponse:
    rounds = scoped(VisitRound.objects.select_related("unit"), request.user)[:200]
    return render(
        request,
        "visits/index.html",
        {"rounds": rounds, "can_manage": has_any_role(request.user, MANAGE)},
    )


@role_required(*MANAGE)
def round_new(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, units=unit_choices(request.user), grids=_grids(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit_round = services.open_round(
                    data["unit"],
                    request.user,
                    services.RoundData(
                        data["name"], data["start"], data["end"], data["due"], data["buildings"]
                    ),
                    list(data["grids"]),
                    request=request,
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("The visit round is open."))
                return redirect("visits:round", pk=visit_round.pk)
        else:
            status = 400
    return render(request, "visits/round_new.html", {"form": form}, status=status)


@role_required(*READ)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit_round = get_scoped_or_404(VisitRound.objects.select_related("unit"), request.user, pk=pk)
    households = _households(request, visit_round)
    by_grid, by_unit = services.coverage(visit_round, households)
    grid_filter = request.GET.get("grid", "")
    listed = households.select_related("grid", "steward")
    if grid_filter.isdigit():
        listed = listed.filter(grid_id=int(grid_filter))
    listed = list(listed[:300])
    outcomes = dict(
        Visit.objects.filter(round=visit_round, household__in=[h.pk for h in listed]).values_list(
            "household_id", "outcome"
        )
    )
    labels = dict(Outcome.choices)
    rows = [(h, outcomes.get(h.pk), labels.get(outcomes.get(h.pk), "")) for h in listed]
    return render(
        request,
        "visits/round.html",
        {
            "round": visit_round,
            "coverage": [(_("Coverage per grid"), by_grid), (_("Coverage per unit"), by_unit)],
            "rows": rows,
            "can_record": has_any_role(request.user, RECORD),
            "grids": visit_round.grids.filter(pk__in=_grids(request).values("pk")),
            "grid_filter": grid_filter,
        },
    )


@role_required(*RECORD)
def visit(request: HttpRequest, pk: int, household: int) -> HttpResponse:
    visit_round = get_scoped_or_404(VisitRound.objects.all(), request.user, pk=pk)
    home = get_scoped_or_404(
        services.limit_to_own_grids(Household.objects.select_related("grid", "steward"), request.user),
        request.user,
        pk=household,
    )
    existing = Visit.objects.filter(round=visit_round, household=home).first()
    form = VisitForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_visit(
                    visit_round,
                    home,
                    request.user,
                    services.VisitData(
                        data["outcome"], data["materials"], data["opinions"], data["difficulties"]
                    ),
                    upload=data["photo"],
                    idempotency_key=data["idempotency_key"],
                    request=request,
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("visits:round", pk=visit_round.pk)
        else:
            status = 400
    return render(
        request,
        "visits/visit.html",
        {
            "round": visit_round,
            "household": home,
            "existing": existing,
            "form": form,
            "problem_form": ProblemForm()
            if existing and (existing.opinions or existing.difficulties)
            else None,
        },
        status=status,
    )


@role_required(*RECORD)
@require_POST
def to_problem(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_scoped_or_404(
        services.limit_to_own_grids(Visit.objects.all(), request.user, "household__grid"), request.user, pk=pk
    )
    form = ProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a category."))
    else:
        try:
            problem = services.opinion_to_problem(
                row, request.user, form.cleaned_data["category"], request=request
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The opinion is filed as problem %(id)s.") % {"id": problem.pk})
    return redirect("visits:visit", pk=row.round_id, household=row.household_id)


@role_required(*READ)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    visit_round = get_scoped_or_404(VisitRound.objects.select_related("unit"), request.user, pk=pk)
    data = exports.ledger_xlsx(visit_round, _households(request, visit_round))
    return xlsx_response(data, f"走访情况台账-{visit_round.name}.xlsx")


@role_required(*READ)
def photo(request: HttpRequest, pk: int) -> FileResponse:
    row = get_scoped_or_404(
        services.limit_to_own_grids(Visit.objects.exclude(photo=""), request.user, "household__grid"),
        request.user,
        pk=pk,
    )
    return storage.serve(row.photo_display or row.photo, content_type="image/jpeg")


@role_required(*READ)
def stewards(request: HttpRequest) -> HttpResponse:
    can_manage = has_any_role(request.user, MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None) if can_manage else None
    result = None
    status = 200
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        if form.is_valid():
            result = services.import_stewards(
                form.cleaned_data["file"],
                request.user,
                _grids(request),
                dry_run=not form.cleaned_data["commit"],
                request=request,
            )
            if result.errors:
                status = 400
            elif result.committed:
                messages.success(request, _("The stewards and their households are imported."))
        else:
            status = 400
    roster = services.limit_to_own_grids(
        scoped(Steward.objects.select_related("grid"), request.user), request.user
    ).order_by("grid__code", "role", "name")[:500]
    return render(
        request,
        "visits/stewards.html",
        {"roster": roster, "form": form, "result": result},
        status=status,
    )
