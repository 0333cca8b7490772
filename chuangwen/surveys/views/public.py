"""The public, self-administered questionnaire behind a link or QR code: no login.

The round is found by its unguessable token, not through the scoping helper (there is no user
to scope by). One response per device (a cookie) and per phone number (stored hashed), and a
database-backed limit of submissions per hour from one network address.
"""

from __future__ import annotations

import io
import secrets
import uuid

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.audit.services import client_ip
from chuangwen.core.errors import DomainError
from chuangwen.surveys.compiled import SubmissionInvalid
from chuangwen.surveys.models import Channel, QuestionnaireStatus, Round, RoundMode
from chuangwen.surveys.submission import (
    AlreadyAnswered,
    device_has_answered,
    hash_secret,
    hit_rate_limit,
    public_areas,
    submit_response,
)
from chuangwen.surveys.views.collect import answers_from_post, question_fields

DEVICE_COOKIE = "cw_survey_device"
COOKIE_AGE = 400 * 24 * 3600


def public_round(token: str) -> Round:
    round_ = (
        Round.objects.select_related("questionnaire__campaign__root_unit")
        .filter(public_token=token, mode=RoundMode.PUBLIC)
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def device_id(request: HttpRequest) -> tuple[str, bool]:
    """The browser's survey cookie, or a new one (and whether it is new)."""
    current = request.COOKIES.get(DEVICE_COOKIE, "")
    if 16 <= len(current) <= 64 and current.replace("-", "").replace("_", "").isalnum():
        return current, False
    return secrets.token_urlsafe(24), True


def remember_device(response: HttpResponse, device: str, request: HttpRequest) -> HttpResponse:
    response.set_cookie(
        DEVICE_COOKIE, device, max_age=COOKIE_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
    )
    return response


def rate_key(round_: Round, request: HttpRequest) -> str:
    return f"survey:{round_.pk}:{hash_secret('ip', client_ip(request) or '-')[:40]}"


def is_accepting(round_: Round) -> bool:
    return round_.is_open and round_.questionnaire.status == QuestionnaireStatus.OPEN


def public_form(request: HttpRequest, token: str) -> HttpResponse:
    round_ = public_round(token)
    device, new = device_id(request)
    context = {"round": round_, "questionnaire": round_.questionnaire, "errors": {}, "message": ""}
    status = 200
    if not is_accepting(round_):
        return remember_device(render(request, "surveys/public_closed.html", context), device, request)
    if not new and device_has_answered(round_, device):
        return redirect("surveys_public:thanks", token=token)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not hit_rate_limit(rate_key(round_, request), round_.rate_limit_per_hour):
            context["message"] = _("Too many responses from your network; please try again later.")
            return render(request, "surveys/public_closed.html", context, status=429)
        chosen = request.POST.get("unit_id", "")
        unit = public_areas(round_).filter(pk=int(chosen)).first() if chosen.isdigit() else None
        try:
            if unit is None:
                raise DomainError(_("Choose where you live."))
            submit_response(
                round_,
                unit=unit,
                answers=answers_from_post(round_, request.POST),
                idempotency_key=request.POST.get("idempotency_key", ""),
                channel=Channel.PUBLIC,
                device_id=device,
                phone=request.POST.get("phone", "").strip(),
            )
        except AlreadyAnswered:
            return remember_device(redirect("surveys_public:thanks", token=token), device, request)
        except SubmissionInvalid as exc:
            errors, context["message"], status = exc.errors, _("Some answers need attention."), 400
        except DomainError as exc:
            context["message"], status = str(exc), 400
        else:
            return remember_device(redirect("surveys_public:thanks", token=token), device, request)
    values = request.POST if request.method == "POST" else None
    context.update(
        fields=question_fields(round_, values, errors),
        units=public_areas(round_),
        selected_unit=request.POST.get("unit_id", "") if values else "",
        phone=request.POST.get("phone", "") if values else "",
        idempotency_key=(request.POST.get("idempotency_key") if values else "") or uuid.uuid4().hex,
    )
    response = render(request, "surveys/public_form.html", context, status=status)
    return remember_device(response, device, request)


def public_thanks(request: HttpRequest, token: str) -> HttpResponse:
    round_ = public_round(token)
    return render(request, "surveys/public_done.html", {"round": round_})


def public_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code of the public link as SVG (print it on posters and door hangers)."""
    round_ = public_round(token)
    url = request.build_absolute_uri(reverse("surveys_public:form", args=[round_.public_token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response
