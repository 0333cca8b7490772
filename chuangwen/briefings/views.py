"""Pages of the daily and weekly reports: the list (office, leaders) with downloads, the
office's "generate now" and the schedule.

Thin views: role → the campaign the user is looking at (chosen_campaign) → a fetch through the
scoping helper → form → service → redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.briefings import services
from chuangwen.briefings.compute import document
from chuangwen.briefings.forms import GenerateForm, ScheduleForm
from chuangwen.briefings.models import Briefing
from chuangwen.briefings.permissions import MANAGE, READ, has_any_role, role_required
from chuangwen.campaigns.choice import required_campaign
from chuangwen.core.errors import DomainError

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@role_required(*READ)
def index(request: HttpRequest) -> HttpResponse:
    campaign = required_campaign(request.user, request.GET.get("campaign"))
    qs = scoped(Briefing.objects.filter(campaign=campaign), request.user).order_by("-day", "kind", "-id")
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    can_manage = has_any_role(request.user, MANAGE)
    context = {
        "campaign": campaign,
        "page": Paginator(qs, 30).get_page(request.GET.get("page")),
        "kind": kind,
        "can_manage": can_manage,
    }
    if can_manage:
        sched = services.schedule_of(campaign)
        context["generate_form"] = GenerateForm()
        context["schedule_form"] = ScheduleForm(
            initial={"enabled": sched.enabled, "time_of_day": sched.time_of_day, "weekday": sched.weekday}
        )
    return render(request, "briefings/index.html", context)


@role_required(*MANAGE)
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    campaign = required_campaign(request.user, request.POST.get("campaign"))
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("briefings:index")
    try:
        briefing, created = services.generate(
            campaign, form.cleaned_data["kind"], form.cleaned_data["day"], actor=request.user, request=request
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("briefings:index")
    if created:
        messages.success(request, _("Report generated."))
    else:
        messages.info(request, _("This report already exists; it was not generated again."))
    return redirect("briefings:index")


@role_required(*MANAGE)
@require_POST
def schedule(request: HttpRequest) -> HttpResponse:
    campaign = required_campaign(request.user, request.POST.get("campaign"))
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("briefings:index")
    services.set_schedule(campaign, request.user, request=request, **form.cleaned_data)
    messages.success(request, _("Schedule saved."))
    return redirect("briefings:index")


@role_required(*READ)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    briefing = get_scoped_or_404(Briefing.objects.select_related("campaign"), request.user, pk=pk)
    response = HttpResponse(document(briefing, fmt), content_type=CONTENT_TYPES[fmt])
    name = f"{briefing.get_kind_display()}-{briefing.day.isoformat()}.{fmt}"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
