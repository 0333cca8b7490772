"""Pages of inspections: rounds, drawing points, the inspector's phone page, summaries.

Who sees what (see also points.visibility):
- a round: its organizing unit and its team (scope_field organizer/team), office and leaders;
- a round point and its observations: the team, and the point's responsible unit (read only);
- recording: only through the team (TeamAssignment, scope_field "team"), never the point's
  own unit — a unit must not grade itself. Office admins may record anywhere.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core import capture, storage
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.inspections import problem_link, services
from chuangwen.inspections.forms import DrawForm, RoundForm
from chuangwen.inspections.models import (
    ObservationPhoto,
    Round,
    RoundPoint,
    RoundStatus,
    TeamAssignment,
)
from chuangwen.inspections.permissions import INSPECT, MANAGE_ROUNDS, READ_ROUNDS
from chuangwen.inspections.queries import summary
from chuangwen.points.models import Point, PointType
from chuangwen.points.photos import ensure_display
from chuangwen.points.visibility import get_visible_point_or_404


@role_required(*READ_ROUNDS)
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    rounds = scoped(Round.objects.select_related("organizer", "team"), user)
    if request.GET.get("kind"):
        rounds = rounds.filter(kind=request.GET["kind"])
    page = Paginator(rounds.order_by("-start_date", "-id"), 30).get_page(request.GET.get("page"))
    todo = []
    if has_any_role(user, INSPECT):
        todo = list(
            scoped(TeamAssignment.objects.filter(round__status=RoundStatus.OPEN), user)
            .exclude(status="done")
            .select_related("round", "point__point_type")
            .order_by("round", "seq")[:100]
        )
    return render(
        request,
        "inspections/round_list.html",
        {
            "page": page,
            "todo": todo,
            "can_manage": has_any_role(user, MANAGE_ROUNDS),
        },
    )


@role_required(*MANAGE_ROUNDS)
def round_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    round_ = get_scoped_or_404(Round.objects.all(), request.user, pk=pk) if pk else None
    form = RoundForm(request.POST or None, instance=round_, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.save_round(form, actor=request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("inspections:round", pk=saved.pk)
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": round_.name if round_ else _("New inspection round"),
        },
    )


@role_required(*READ_ROUNDS)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    round_ = get_scoped_or_404(Round.objects.select_related("organizer", "team", "campaign"), user, pk=pk)
    rps = scoped(round_.round_points.select_related("point__point_type", "point__unit", "team"), user)
    page = Paginator(rps.order_by("seq", "id"), 100).get_page(request.GET.get("page"))
    can_manage = has_any_role(user, MANAGE_ROUNDS)
    return render(
        request,
        "inspections/round_detail.html",
        {
            "round": round_,
            "page": page,
            "samplings": round_.samplings.all()[:10],
            "can_manage": can_manage,
            "can_inspect": has_any_role(user, INSPECT),
            "open": round_.status == RoundStatus.OPEN,
        },
    )


@role_required(*MANAGE_ROUNDS)
@require_POST
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_scoped_or_404(Round.objects.all(), request.user, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "file_problems":
            n = problem_link.file_missing_problems(round_, request.user)
            messages.success(request, _("%(n)d problems filed.") % {"n": n})
        else:
            services.set_status(round_, action, request.user, request=request)
            messages.success(request, _("Saved."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("inspections:round", pk=round_.pk)


@role_required(*MANAGE_ROUNDS)
def round_draw(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_scoped_or_404(Round.objects.all(), request.user, pk=pk)
    form = DrawForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.draw_points(
                round_,
                form.quotas(),
                request.user,
                seed=form.cleaned_data["seed"],
                within=form.cleaned_data["within"],
                request=request,
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            message = _("Drew %(n)d points with seed %(seed)d.") % {"n": len(row.drawn), "seed": row.seed}
            if row.shortfall:
                message += " " + _("Not enough points of some types: %(s)s.") % {
                    "s": ", ".join(f"{k} −{v}" for k, v in row.shortfall.items())
                }
            messages.success(request, message)
            return redirect("inspections:round", pk=round_.pk)
    return render(request, "inspections/draw.html", {"form": form, "round": round_})


@role_required(*MANAGE_ROUNDS)
def round_add_points(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose points by hand: search, tick, add."""
    round_ = get_scoped_or_404(Round.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("point") if x.isdigit()]
        chosen = scoped(Point.objects.filter(pk__in=ids, is_active=True), request.user)
        try:
            added = services.add_points(round_, list(chosen), request.user, request=request)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)d points added.") % {"n": added})
        return redirect("inspections:round", pk=round_.pk)
    qs = scoped(Point.objects.filter(is_active=True).select_related("point_type", "unit"), request.user)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query) | Q(address__icontains=query))
    if request.GET.get("type", "").isdigit():
        qs = qs.filter(point_type_id=int(request.GET["type"]))
    qs = qs.exclude(pk__in=round_.round_points.values("point_id"))
    return render(
        request,
        "inspections/add_points.html",
        {
            "round": round_,
            "points": qs.order_by("unit__path", "name")[:300],
            "query": query,
            "types": PointType.objects.filter(is_active=True),
            "params": request.GET,
        },
    )


@role_required(*READ_ROUNDS)
def round_summary(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_scoped_or_404(Round.objects.all(), request.user, pk=pk)
    return render(request, "inspections/summary.html", {"round": round_, "s": summary(round_, request.user)})


@role_required(*INSPECT)
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector's phone page for one point of a round: the checklist, saved item by item."""
    rp = get_scoped_or_404(
        TeamAssignment.objects.select_related("round", "point__point_type", "point__unit"),
        request.user,
        pk=pk,
    )
    observations = {o.item_id: o for o in rp.observations.prefetch_related("photos")}
    items = list(rp.point.point_type.items.filter(is_active=True).order_by("number"))
    rows = [(item, observations.get(item.pk)) for item in items]
    return render(
        request,
        "inspections/visit.html",
        {
            "rp": rp,
            "round": rp.round,
            "point": rp.point,
            "rows": rows,
            "total": len(items),
            "open": rp.round.status == RoundStatus.OPEN,
        },
    )


@role_required(*INSPECT)
@require_POST
def visit_save(request: HttpRequest, pk: int) -> HttpResponse:
    """One item from the phone (multipart): JSON for fetch(), a redirect for a plain form post."""
    rp = get_scoped_or_404(TeamAssignment.objects.select_related("round", "point"), request.user, pk=pk)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        entry = services.parse_entry(request.POST.get("item"), request.POST, request.FILES.getlist("photos"))
        result = services.record(
            rp,
            [entry],
            request.user,
            request.POST.get("lat"),
            request.POST.get("lng"),
            key=request.POST.get("client_key", ""),
            request=request,
            # Sent from the offline queue: the time and fix of capture (docs/offline.md).
            captured_at=capture.captured_at(request.POST["captured_at"])
            if request.POST.get("captured_at")
            else None,
            gps_accuracy=capture.accuracy(request.POST.get("gps_accuracy")),
        )
    except DomainError as exc:
        if wants_json:
            status = 409 if isinstance(exc, ConflictError) else 400
            return JsonResponse({"ok": False, "message": str(exc), "conflict": status == 409}, status=status)
        messages.error(request, str(exc))
        return redirect("inspections:visit", pk=rp.pk)
    item = result["items"].get(str(entry.item_id), {})
    message = _("Saved.") if not result["replayed"] else _("Already saved.")
    if wants_json:
        return JsonResponse(
            {
                "ok": True,
                "message": message,
                "item": item,
                "score_rate": result["score_rate"],
                "observed": result["observed"],
                "failed_items": result["failed_items"],
                "warnings": result.get("warnings", []),
            }
        )
    messages.success(request, message)
    for warning in result.get("warnings", []):
        messages.warning(request, warning)
    return redirect("inspections:visit", pk=rp.pk)


@login_required
def point_history(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_visible_point_or_404(Point.objects.select_related("point_type"), request.user, pk=pk)
    rps = scoped(RoundPoint.objects.filter(point=point).select_related("round"), request.user)
    mine: set[int] = set()
    if has_any_role(request.user, INSPECT):
        open_here = TeamAssignment.objects.filter(point=point, round__status=RoundStatus.OPEN)
        mine = set(scoped(open_here, request.user).values_list("pk", flat=True))
    return render(
        request,
        "inspections/point_history.html",
        {"point": point, "rps": rps.order_by("-round__start_date", "-id")[:100], "mine": mine},
    )


@login_required
def round_point(request: HttpRequest, pk: int) -> HttpResponse:
    """The result of one point in one round, read-only: for the responsible unit and the office."""
    rp = get_scoped_or_404(
        RoundPoint.objects.select_related("round", "point__point_type", "point__unit"), request.user, pk=pk
    )
    observations = rp.observations.select_related("item").prefetch_related("photos").order_by("item__number")
    can_record = (
        rp.round.status == RoundStatus.OPEN
        and has_any_role(request.user, INSPECT)
        and scoped(TeamAssignment.objects.filter(pk=rp.pk), request.user).exists()
    )
    return render(
        request,
        "inspections/round_point.html",
        {
            "rp": rp,
            "observations": observations,
            "can_record": can_record,
            "far_m": services.far_from_point(rp.point),
        },
    )


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(ObservationPhoto.objects.all(), request.user, pk=pk)
    if request.GET.get("original") == "1":
        return storage.serve(item.original, content_type=item.content_type)
    with storage.guard("display copy", item.original.name):
        ensure_display(item)  # normally made by the background job already
    return storage.serve(item.display, content_type="image/jpeg")
