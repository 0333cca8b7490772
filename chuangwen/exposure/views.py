"""Pages of exposure: the monthly praise/criticism lists (internal, and the public page), and the
exposure board (the office's selection, and the public 曝光台). Public pages show published
copies only, and nothing about who reported a problem."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.core.images import PhotoError
from chuangwen.exposure import services
from chuangwen.exposure.blur import parse_regions
from chuangwen.exposure.models import Exposure, ExposureStatus, Roll, RollKind, RollStatus
from chuangwen.exposure.permissions import MANAGE, READ_BOARD, READ_ROLLS, SEE_DRAFTS
from chuangwen.org.models import Unit
from chuangwen.problems.models import RUNNING_STATUSES, Problem


def _rolls_for(request: HttpRequest):
    rolls = scoped(Roll.objects.select_related("campaign"), request.user)
    if not has_any_role(request.user, SEE_DRAFTS):
        rolls = rolls.filter(status=RollStatus.PUBLISHED)
    return rolls


@role_required(*READ_ROLLS)
def roll_list(request: HttpRequest) -> HttpResponse:
    rolls = _rolls_for(request).order_by("-month", "kind")[:48]
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "exposure/rolls.html",
        {
            "rolls": rolls,
            "can_manage": has_any_role(request.user, MANAGE),
            "default_month": f"{last_month:%Y-%m}",
        },
    )


@require_POST
@role_required(*MANAGE)
def roll_propose(request: HttpRequest) -> HttpResponse:
    campaign = chosen_campaign(request.user)
    try:
        month = dt.datetime.strptime(request.POST.get("month", ""), "%Y-%m").date()
    except ValueError:
        messages.error(request, _("Choose the month."))
        return redirect("exposure:rolls")
    if campaign is None:
        messages.error(request, _("There is no campaign."))
        return redirect("exposure:rolls")
    try:
        services.propose(campaign, month, request.user, request=request)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The lists were proposed from the figures."))
    return redirect("exposure:rolls")


@role_required(*READ_ROLLS)
def roll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roll = get_scoped_or_404(_rolls_for(request), request.user, pk=pk)
    can_manage = has_any_role(request.user, MANAGE)
    units = Unit.objects.order_by("name") if can_manage and roll.status == RollStatus.DRAFT else None
    return render(
        request,
        "exposure/roll.html",
        {
            "roll": roll,
            "entries": roll.entries.select_related("unit"),
            "can_manage": can_manage,
            "units": units,
        },
    )


@require_POST
@role_required(*MANAGE)
def roll_action(request: HttpRequest, pk: int) -> HttpResponse:
    roll = get_scoped_or_404(Roll.objects.all(), request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "add":
            unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=request.POST.get("unit") or 0)
            services.add_entry(roll, unit, request.POST.get("reason", ""), request.user, request=request)
        elif action == "remove":
            services.remove_entry(roll, int(request.POST.get("entry") or 0), request.user, request=request)
        elif action == "approve":
            services.approve(roll, request.user, request=request)
        elif action == "publish":
            services.publish(roll, request.user, public=request.POST.get("public") == "1", request=request)
        elif action in ("show", "hide"):
            services.set_public(roll, action == "show", request.user, request=request)
        else:
            messages.error(request, _("Unknown action."))
            return redirect("exposure:roll", pk=roll.pk)
    except (DomainError, ValueError) as exc:
        messages.error(request, str(exc))
    except Http404:
        messages.error(request, _("Choose the unit."))
    else:
        messages.success(request, _("Saved."))
    return redirect("exposure:roll", pk=roll.pk)


def public_rolls(request: HttpRequest) -> HttpResponse:
    """The lists the office chose to publish (no login)."""
    rolls = list(
        Roll.objects.filter(status=RollStatus.PUBLISHED, public=True).order_by("-month", "kind")[:24]
    )
    entries = {r.pk: list(r.entries.select_related("unit")) for r in rolls}
    return render(
        request,
        "exposure/public_rolls.html",
        {"items": [(r, entries[r.pk]) for r in rolls], "praise": RollKind.PRAISE},
    )


@role_required(*READ_BOARD)
def board(request: HttpRequest) -> HttpResponse:
    exposures = scoped(Exposure.objects.select_related("unit", "problem"), request.user)[:100]
    candidates = None
    if has_any_role(request.user, MANAGE):
        candidates = (
            scoped(Problem.objects.select_related("unit", "category"), request.user)
            .filter(status__in=RUNNING_STATUSES, exposure__isnull=True, photos__isnull=False)
            .distinct()
            .order_by("deadline", "id")[:50]
        )
    return render(request, "exposure/board.html", {"exposures": exposures, "candidates": candidates})


@require_POST
@role_required(*MANAGE)
def expose(request: HttpRequest) -> HttpResponse:
    problem = get_scoped_or_404(Problem.objects.all(), request.user, pk=request.POST.get("problem") or 0)
    try:
        regions = parse_regions(request.POST.get("regions", ""))
    except ValueError:
        messages.error(request, _("Write each region as x,y,width,height on its own line."))
        return redirect("exposure:board")
    try:
        services.expose(problem, request.POST.get("title", ""), regions, request.user, request=request)
    except (DomainError, PhotoError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The problem is on the public board."))
    return redirect("exposure:board")


@require_POST
@role_required(*MANAGE)
def exposure_action(request: HttpRequest, pk: int) -> HttpResponse:
    exposure = get_scoped_or_404(Exposure.objects.all(), request.user, pk=pk)
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw(exposure, request.user, request=request)
        elif request.POST.get("action") == "after":
            services.add_after_photo(exposure, request.user)
        else:
            raise DomainError(_("Unknown action."))
    except (DomainError, PhotoError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("exposure:board")


def public_board(request: HttpRequest) -> HttpResponse:
    """The public 曝光台 (no login): the public description, responsible unit, deadline, state and
    the published copies of the photos. Never the reporter, never an original."""
    exposures = Exposure.objects.filter(status=ExposureStatus.PUBLISHED).select_related("unit", "problem")[
        :100
    ]
    return render(request, "exposure/public_board.html", {"exposures": exposures})


def public_photo(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    exposure = Exposure.objects.filter(pk=pk, status=ExposureStatus.PUBLISHED).first()
    if exposure is None or which not in ("before", "after"):
        raise Http404
    field = exposure.before if which == "before" else exposure.after
    if not field:
        raise Http404
    return storage.serve(field, content_type="image/jpeg")
