"""The public 随手拍 page: no login, a honeypot against scripts, limits per address and per
device (counted in the database, so they hold across web processes), an optional phone, and
a follow-status link with an unguessable token."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangwen.audit.services import client_ip
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.problems import conf, forms, services
from chuangwen.problems.models import Channel, EventKind, Problem, PublicSubmission, Source
from chuangwen.problems.photos import check_many

DEVICE_COOKIE = "cw_device"
DEVICE_MAX_AGE = 365 * 24 * 3600
PUBLIC_EVENTS = {
    EventKind.REPORTED,
    EventKind.DISPATCHED,
    EventKind.REASSIGNED,
    EventKind.ACCEPTED,
    EventKind.STARTED,
    EventKind.SUBMITTED,
    EventKind.VERIFIED,
    EventKind.REJECTED,
    EventKind.DUPLICATE,
    EventKind.NOT_APPLICABLE,
    EventKind.EXTENSION_APPROVED,
}


def _device(request: HttpRequest) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if value.isalnum() and len(value) <= 64 else ""


def throttled(ip: str | None, device: str, now: dt.datetime | None = None) -> bool:
    """Too many attempts from this address in the last hour, or this device in the last day."""
    now = now or timezone.now()
    if ip and PublicSubmission.objects.filter(
        ip=ip, created_at__gte=now - dt.timedelta(hours=1)
    ).count() >= conf.get("PUBLIC_REPORTS_PER_IP_HOUR"):
        return True
    return bool(device) and PublicSubmission.objects.filter(
        device=device, created_at__gte=now - dt.timedelta(days=1)
    ).count() >= conf.get("PUBLIC_REPORTS_PER_DEVICE_DAY")


def _with_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not _device(request):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(16),
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def report(request: HttpRequest) -> HttpResponse:
    form = forms.PublicReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        ip, device = client_ip(request), _device(request)
        if throttled(ip, device):
            return render(request, "problems/public/limited.html", status=429)
        attempt = PublicSubmission.objects.create(ip=ip, device=device)
        if form.is_valid():
            data = form.cleaned_data
            if data.get("website"):
                # A script filled the field people never see: look successful, store nothing.
                return render(request, "problems/public/thanks.html", {"problem": None})
            lat, lng = data["position"] or (None, None)
            key = f"public:{data['idempotency_key']}" if data.get("idempotency_key") else None
            token = (
                key
                and Problem.objects.filter(idempotency_key=key).values_list("public_token", flat=True).first()
            )
            if token:  # the same form sent again: the first report's page, nothing stored twice
                return redirect("citizen:status", token=token)
            try:
                problem = services.report(
                    "public",
                    category=data["category"],
                    description=data["description"],
                    source=Source.CITIZEN,
                    channel=Channel.PUBLIC,
                    lat=lat,
                    lng=lng,
                    address=data["address"],
                    reporter_phone=data["phone"],
                    photos=check_many(data["photos"]),
                    idempotency_key=key,
                    request=request,
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
                # Nothing was stored: a storage failure is answered 503, never a success (found
                # by `chuangwen bench faults`: the form came back with 200 and a phone's queue
                # would have taken the report as sent).
                status = exc.status if isinstance(exc, storage.StorageUnavailable) else status
            else:
                attempt.accepted = True
                attempt.save(update_fields=["accepted"])
                return redirect("citizen:status", token=problem.public_token)
    return _with_device(
        request, render(request, "problems/public/report.html", {"form": form}, status=status)
    )


def status(request: HttpRequest, token: str) -> HttpResponse:
    """What the reporter may know: status, the unit handling it, the public steps; no names."""
    problem = (
        Problem.objects.filter(public_token=token).select_related("category", "unit", "duplicate_of").first()
    )
    if problem is None or len(token) < 20:
        raise Http404
    shown = problem.duplicate_of or problem
    events = shown.events.filter(Q(kind__in=PUBLIC_EVENTS) & Q(is_public=True)).order_by("at", "id")
    return render(
        request,
        "problems/public/status.html",
        {"problem": problem, "shown": shown, "events": events, "link": request.build_absolute_uri()},
    )
