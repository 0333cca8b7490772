"""The page a volunteer's phone opens by scanning an activity's QR code (no login): sign up,
sign in and sign out with the phone's position, by name and registered phone number."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from chuangwen.core.errors import DomainError
from chuangwen.volunteers import services
from chuangwen.volunteers.forms import PhoneSignForm
from chuangwen.volunteers.models import Activity


def sign(request: HttpRequest, token: str) -> HttpResponse:
    activity = Activity.objects.select_related("unit", "point").filter(token=token[:40]).first()
    if activity is None:
        raise Http404
    form = PhoneSignForm(request.POST or None)
    result, ok = "", False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = services.find_volunteer(data["name"], data["phone"])
            if data["action"] == "sign_up":
                _record, created = services.sign_up(activity, volunteer, request=request)
                result = _("You are signed up.") if created else _("You were already signed up.")
            elif data["action"] == "sign_in":
                record, created = services.sign_in(
                    activity, volunteer, data["lat"], data["lng"], request=request
                )
                result = _("Signed in.") if created else _("You had already signed in.")
                if record.in_outside:
                    result += " " + _(
                        "You seem to be away from the activity's place; the organiser will check."
                    )
            else:
                record = services.sign_out(activity, volunteer, data["lat"], data["lng"], request=request)
                result = _("Signed out: %(h)s hours, waiting for the organiser's confirmation.") % {
                    "h": record.computed_hours
                }
            ok = True
        except DomainError as exc:
            result = str(exc)
    status = 200 if ok or request.method == "GET" else 400
    return render(
        request,
        "volunteers/sign.html",
        {"a": activity, "form": form, "result": result, "ok": ok},
        status=status,
    )
