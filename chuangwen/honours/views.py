"""Pages of honours: the register with each unit's part in the city campaign beside it, one
honour with its re-checks, the 评选 rounds with nominations, review, 公示 and awards, and the
public notice page (no login)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.models import Campaign
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.honours import services
from chuangwen.honours.forms import HonourForm, NominationForm, NoticeForm, RecheckForm, SelectionForm
from chuangwen.honours.models import (
    Honour,
    HonourStatus,
    Kind,
    Nomination,
    NominationPhoto,
    NominationStatus,
    Selection,
    SelectionStatus,
)
from chuangwen.honours.permissions import MANAGE_HONOURS, NOMINATE, READ_HONOURS

PER_PAGE = 50


@role_required(*READ_HONOURS)
def honour_list(request: HttpRequest) -> HttpResponse:
    honours = scoped(Honour.objects.select_related("unit"), request.user)
    if request.GET.get("kind") in Kind.values:
        honours = honours.filter(kind=request.GET["kind"])
    if request.GET.get("status") in HonourStatus.values:
        honours = honours.filter(status=request.GET["status"])
    page = Paginator(honours.order_by("-year", "kind", "id"), PER_PAGE).get_page(request.GET.get("page"))
    year = timezone.localdate().year
    rows = [(h, services.performance(h.unit, year)) for h in page]
    form = HonourForm(user=request.user) if has_any_role(request.user, MANAGE_HONOURS) else None
    return render(
        request,
        "honours/list.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "kinds": Kind.choices,
            "statuses": HonourStatus.choices,
            "params": request.GET,
            "form": form,
        },
    )


@require_POST
@role_required(*MANAGE_HONOURS)
def honour_new(request: HttpRequest) -> HttpResponse:
    form = HonourForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.record_honour(**form.cleaned_data, actor=request.user, request=request)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Honour recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("honours:list")


@role_required(*READ_HONOURS)
def honour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    honour = get_scoped_or_404(Honour.objects.select_related("unit"), request.user, pk=pk)
    year = timezone.localdate().year
    form = RecheckForm(request.POST or None)
    if request.method == "POST":
        if not has_any_role(request.user, MANAGE_HONOURS):
            raise Http404
        if form.is_valid():
            try:
                services.recheck(honour, **form.cleaned_data, actor=request.user, request=request)
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Re-check recorded."))
                return redirect("honours:detail", pk=honour.pk)
    return render(
        request,
        "honours/detail.html",
        {
            "honour": honour,
            "rechecks": honour.rechecks.all(),
            "performance": services.performance(honour.unit, year),
            "year": year,
            "form": form if has_any_role(request.user, MANAGE_HONOURS) else None,
        },
    )


@role_required(*READ_HONOURS)
def selection_list(request: HttpRequest) -> HttpResponse:
    selections = scoped(Selection.objects.all(), request.user).order_by("-year", "-id")
    form = SelectionForm(request.POST or None) if has_any_role(request.user, MANAGE_HONOURS) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        campaign = scoped(Campaign.objects.filter(is_current=True), request.user).first()
        if form.is_valid() and campaign is not None:
            try:
                made = services.open_selection(
                    campaign, **form.cleaned_data, actor=request.user, request=request
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("honours:selection", pk=made.pk)
    return render(request, "honours/selections.html", {"selections": selections[:100], "form": form})


@role_required(*READ_HONOURS)
def selection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    selection = get_scoped_or_404(Selection.objects.all(), request.user, pk=pk)
    nominations = scoped(selection.nominations.select_related("unit"), request.user).prefetch_related(
        "photos"
    )
    year = selection.year
    rows = [(n, services.performance(n.unit, year)) for n in nominations]
    can_nominate = has_any_role(request.user, NOMINATE) and selection.status == SelectionStatus.OPEN
    return render(
        request,
        "honours/selection.html",
        {
            "selection": selection,
            "rows": rows,
            "can_manage": has_any_role(request.user, MANAGE_HONOURS),
            "nomination_form": NominationForm(user=request.user, initial={"key": secrets.token_urlsafe(16)})
            if can_nominate
            else None,
            "notice_form": NoticeForm(),
        },
    )


@require_POST
@role_required(*NOMINATE)
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    selection = get_scoped_or_404(Selection.objects.all(), request.user, pk=pk)
    form = NominationForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("honours:selection", pk=selection.pk)
    data = services.NominationInput(
        form.cleaned_data["unit"], form.cleaned_data["nominee"], form.cleaned_data["story"]
    )
    try:
        services.nominate(
            selection, data, request.user, request.FILES.getlist("photos"), form.cleaned_data["key"], request
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Nomination submitted."))
    return redirect("honours:selection", pk=selection.pk)


@require_POST
@role_required(*MANAGE_HONOURS)
def selection_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's steps: review a nomination, start the 公示, withdraw after an objection, award."""
    selection = get_scoped_or_404(Selection.objects.all(), request.user, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action in ("approve", "reject", "withdraw"):
            nomination = get_scoped_or_404(
                Nomination.objects.filter(selection=selection),
                request.user,
                pk=request.POST.get("nomination") or 0,
            )
            if action == "withdraw":
                services.withdraw_after_objection(
                    nomination, request.POST.get("note", ""), request.user, request
                )
            else:
                services.review(
                    nomination,
                    action == "approve",
                    request.user,
                    request.POST.get("note", ""),
                    request.POST.get("version"),
                    request,
                )
        elif action == "notice":
            form = NoticeForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Give the dates of the public notice."))
            services.start_notice(
                selection,
                form.cleaned_data["notice_from"],
                form.cleaned_data["notice_until"],
                request.user,
                request,
            )
        elif action == "award":
            services.award(selection, request.user, request=request)
        else:
            raise DomainError(_("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("honours:selection", pk=selection.pk)


@role_required(*READ_HONOURS)
def photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_scoped_or_404(NominationPhoto.objects.all(), request.user, pk=pk)
    return storage.serve(
        photo.display if request.GET.get("v") == "display" else photo.file, content_type="image/jpeg"
    )


def public_notice(request: HttpRequest) -> HttpResponse:
    """The 公示 page (no login): the nominees on notice with their stories and the objection
    period. No photos and no contact details: published pages must not expose people beyond
    what the notice needs."""
    selections = Selection.objects.filter(status=SelectionStatus.NOTICE).order_by("-notice_from", "-id")[:20]
    items = [
        (
            s,
            list(
                s.nominations.filter(status=NominationStatus.APPROVED).select_related("unit").order_by("id")
            ),
        )
        for s in selections
    ]
    return render(request, "honours/public_notice.html", {"items": items, "today": timezone.localdate()})
