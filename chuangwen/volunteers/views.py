"""Pages of volunteers: figures per unit, the roster, teams, activities with their QR sign-in
and the organiser's confirmation of hours, a volunteer's hours and certificate."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.core.errors import DomainError
from chuangwen.core.xlsx import xlsx_response
from chuangwen.org.models import Unit
from chuangwen.points.forms import ImportForm
from chuangwen.volunteers import figures, importing, services
from chuangwen.volunteers.forms import ActivityForm, PopulationForm, TeamForm, VolunteerForm
from chuangwen.volunteers.models import (
    Activity,
    ActivityStatus,
    RecordStatus,
    ServiceRecord,
    Team,
    UnitPopulation,
    Volunteer,
)
from chuangwen.volunteers.permissions import MANAGE, READ
from chuangwen.volunteers.privacy import id_number_for, phone_for


def _home_unit(user: Any, requested: Any = None) -> Unit:
    """The unit asked for (if visible), else the user's first unit (the campaign root for the office)."""
    units = scoped(Unit.objects.all(), user)
    if requested not in (None, ""):
        try:
            return get_scoped_or_404(Unit.objects.all(), user, pk=int(requested))
        except (TypeError, ValueError):
            pass
    scope = scope_for(user)
    if scope.everything:
        from chuangwen.campaigns.models import Campaign

        campaign = Campaign.objects.filter(is_current=True).select_related("root_unit").first()
        if campaign:
            return campaign.root_unit
        return units.order_by("depth", "path").first()
    return units.filter(path__in=scope.paths).order_by("path").first() or units.order_by("path").first()


@role_required(*READ)
def index(request: HttpRequest) -> HttpResponse:
    """The unit's volunteer figures and those of the units directly below it."""
    unit = _home_unit(request.user, request.GET.get("unit"))
    if unit is None:
        return render(request, "volunteers/index.html", {"unit": None})
    mine = figures.unit_figures(unit)
    children = [
        figures.unit_figures(child)
        for child in unit.children.filter(is_active=True).order_by("sort_order", "path")[:60]
    ]
    return render(
        request,
        "volunteers/index.html",
        {
            "unit": unit,
            "figures": mine,
            "children": children,
            "can_manage": has_any_role(request.user, MANAGE),
            "can_set_population": has_any_role(request.user, ("office_admin",)),
            "population_form": PopulationForm(initial={"population": mine.population}),
        },
    )


@role_required("office_admin")
@require_POST
def set_population(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=unit_id)
    form = PopulationForm(request.POST)
    if form.is_valid():
        UnitPopulation.objects.update_or_create(
            unit=unit, defaults={"population": form.cleaned_data["population"]}
        )
        from chuangwen.audit.services import log_action

        log_action(
            request.user,
            "volunteers.population.set",
            unit,
            {"population": form.cleaned_data["population"]},
            request=request,
        )
        messages.success(request, _("The resident population is saved."))
    else:
        messages.error(request, _("The resident population must be a whole number above zero."))
    return redirect(f"{reverse('volunteers:index')}?unit={unit.pk}")


@role_required(*READ)
def roster(request: HttpRequest) -> HttpResponse:
    qs = scoped(Volunteer.objects.select_related("unit"), request.user)
    q = (request.GET.get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code=q) | Q(phone=q))
    team_id = request.GET.get("team") or ""
    if team_id.isdigit():
        qs = qs.filter(teams__id=int(team_id))
    page = Paginator(qs.order_by("unit__path", "name", "id"), 50).get_page(request.GET.get("page"))
    rows = [{"v": v, "phone": phone_for(request.user, v)} for v in page]
    return render(
        request,
        "volunteers/roster.html",
        {"page": page, "rows": rows, "q": q, "can_manage": has_any_role(request.user, MANAGE)},
    )


@role_required(*READ)
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_scoped_or_404(Volunteer.objects.select_related("unit"), request.user, pk=pk)
    hours = figures.volunteer_hours(volunteer)
    records = (
        ServiceRecord.objects.filter(volunteer=volunteer)
        .select_related("activity", "activity__unit")
        .order_by("-signed_in_at", "-id")[:100]
    )
    return render(
        request,
        "volunteers/volunteer.html",
        {
            "v": volunteer,
            "hours": hours,
            "records": records,
            "phone": phone_for(request.user, volunteer),
            "id_number": id_number_for(request.user, volunteer),
            "teams": volunteer.teams.all(),
            "can_manage": has_any_role(request.user, MANAGE),
        },
    )


@role_required(*MANAGE)
def volunteer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    volunteer = (
        get_scoped_or_404(Volunteer.objects.select_related("unit"), request.user, pk=pk)
        if pk
        else Volunteer()
    )
    form = VolunteerForm(request.POST or None, instance=volunteer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_volunteer(
                form.save(commit=False),
                request.user,
                id_number=form.cleaned_data["id_number"] or None,
                teams=list(form.cleaned_data["teams"]),
                request=request,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The volunteer is saved."))
            return redirect("volunteers:volunteer", pk=saved.pk)
    title = _("Edit volunteer") if pk else _("Register a volunteer")
    return render(request, "volunteers/form.html", {"form": form, "title": title})


@role_required(*MANAGE)
def roster_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importing.import_roster(
            form.cleaned_data["file"].read(),
            request.user,
            commit=form.cleaned_data["commit"],
            request=request,
        )
        if report.committed:
            messages.success(
                request, _("Imported: %(c)d new, %(u)d updated.") % {"c": report.created, "u": report.updated}
            )
            return redirect("volunteers:roster")
    return render(
        request,
        "volunteers/import.html",
        {
            "form": form,
            "report": report,
            "title": _("Import volunteers"),
            "template_url": reverse("volunteers:import_template"),
        },
    )


@role_required(*MANAGE)
def import_template(request: HttpRequest) -> HttpResponse:
    from chuangwen.core.import_template import template_response
    from chuangwen.volunteers.import_template import roster_template

    first = scoped(Unit.objects.all(), request.user).order_by("-depth").values_list("name", flat=True).first()
    return template_response(roster_template(first or ""), "志愿者导入模板.xlsx")


@role_required(*READ)
def teams(request: HttpRequest) -> HttpResponse:
    qs = scoped(Team.objects.select_related("unit", "leader"), request.user).annotate(n=Count("members"))
    page = Paginator(qs.order_by("unit__path", "name"), 50).get_page(request.GET.get("page"))
    return render(
        request, "volunteers/teams.html", {"page": page, "can_manage": has_any_role(request.user, MANAGE)}
    )


@role_required(*MANAGE)
def team_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    team = get_scoped_or_404(Team.objects.all(), request.user, pk=pk) if pk else Team()
    form = TeamForm(request.POST or None, instance=team, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_team(form.save(commit=False), request.user, request=request)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The team is saved."))
            return redirect("volunteers:teams")
    return render(
        request,
        "volunteers/form.html",
        {"form": form, "title": _("Edit team") if pk else _("New volunteer team")},
    )


@role_required(*READ)
def activities(request: HttpRequest) -> HttpResponse:
    qs = scoped(Activity.objects.select_related("unit", "point"), request.user).annotate(
        signed=Count("records", filter=Q(records__signed_in_at__isnull=False))
    )
    status = request.GET.get("status") or ""
    if status in ActivityStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-starts_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/activities.html",
        {
            "page": page,
            "status": status,
            "statuses": ActivityStatus.choices,
            "can_manage": has_any_role(request.user, MANAGE),
        },
    )


@role_required(*MANAGE)
def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    activity = get_scoped_or_404(Activity.objects.all(), request.user, pk=pk) if pk else Activity()
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_activity(form.save(commit=False), request.user, request=request)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("volunteers:activity", pk=saved.pk)
    title = _("Edit activity") if pk else _("New volunteer activity")
    return render(request, "volunteers/form.html", {"form": form, "title": title})


def sign_url(request: HttpRequest, activity: Activity) -> str:
    return request.build_absolute_uri(reverse("volunteers:sign", kwargs={"token": activity.token}))


@role_required(*READ)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_scoped_or_404(
        Activity.objects.select_related("unit", "point", "team"), request.user, pk=pk
    )
    records = list(
        activity.records.select_related("volunteer", "volunteer__unit").order_by("signed_in_at", "id")
    )
    for record in records:
        record.shown_phone = phone_for(request.user, record.volunteer)
    url = sign_url(request, activity)
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    signed = sum(1 for r in records if r.signed_in_at)
    return render(
        request,
        "volunteers/activity.html",
        {
            "a": activity,
            "records": records,
            "signed": signed,
            "qr": mark_safe(svg),  # noqa: S308 (segno's own SVG)
            "sign_url": url,
            "can_manage": has_any_role(request.user, MANAGE),
            "pending": sum(1 for r in records if r.status == RecordStatus.SIGNED_OUT),
            "walk_ins": scoped(Volunteer.objects.filter(is_active=True), request.user)
            .exclude(records__activity=activity)
            .order_by("name")[:300]
            if has_any_role(request.user, MANAGE)
            else [],
        },
    )


@role_required(*MANAGE)
@require_POST
def activity_action(request: HttpRequest, pk: int) -> HttpResponse:
    """close / confirm_all / add (a walk-in volunteer) on an activity."""
    activity = get_scoped_or_404(Activity.objects.all(), request.user, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "close":
            services.close_activity(
                activity, request.user, version_status=request.POST.get("status"), request=request
            )
            messages.success(request, _("The activity is finished."))
        elif action == "confirm_all":
            n = services.confirm_all(activity, request.user, request=request)
            messages.success(request, _("Confirmed the hours of %(n)d volunteers.") % {"n": n})
        elif action == "add":
            volunteer = get_scoped_or_404(
                Volunteer.objects.all(), request.user, pk=_int(request.POST.get("volunteer"))
            )
            services.register_walk_in(activity, volunteer, request.user, request=request)
            messages.success(request, _("%(name)s is added.") % {"name": volunteer.name})
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("volunteers:activity", pk=activity.pk)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@role_required(*MANAGE)
@require_POST
def record_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser confirms (or rejects) one record's hours."""
    record = get_scoped_or_404(ServiceRecord.objects.select_related("activity"), request.user, pk=pk)
    # Only the organiser's side confirms: the volunteer's own unit may read the record, not sign it off.
    if not scope_for(request.user).covers(record.activity.unit):
        messages.error(request, _("Only the organiser confirms the hours of an activity."))
        return redirect("volunteers:activity", pk=record.activity_id)
    try:
        services.confirm_record(
            record,
            request.user,
            hours=request.POST.get("hours"),
            reject=request.POST.get("action") == "reject",
            note=request.POST.get("note", ""),
            request=request,
        )
        messages.success(request, _("The hours are recorded."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("volunteers:activity", pk=record.activity_id)


@role_required(*READ)
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    from chuangwen.volunteers.certificate import certificate_pdf

    volunteer = get_scoped_or_404(Volunteer.objects.select_related("unit"), request.user, pk=pk)
    try:
        data = certificate_pdf(volunteer)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("volunteers:volunteer", pk=pk)
    response = HttpResponse(data, content_type="application/pdf")
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(f'志愿服务证明-{volunteer.name}.pdf')}"
    )
    return response


@role_required(*READ)
def records_export(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity's sign-in sheet (.xlsx): who, when, where, hours."""
    from chuangwen.volunteers.exports import activity_sheet

    activity = get_scoped_or_404(Activity.objects.select_related("unit"), request.user, pk=pk)
    return xlsx_response(activity_sheet(activity, request.user), f"志愿服务签到表-{activity.pk}.xlsx")


@role_required(*MANAGE)
def activity_file(request: HttpRequest, pk: int) -> HttpResponse:
    """File the activity as evidence for a material requirement, in one step."""
    import secrets

    from chuangwen.volunteers import filing

    activity = get_scoped_or_404(Activity.objects.select_related("unit", "point"), request.user, pk=pk)
    pairs = filing.requirements_for(activity, request.user)
    error = ""
    if request.method == "POST":
        try:
            submission = filing.file_as_evidence(
                activity,
                _int(request.POST.get("requirement")),
                request.user,
                request.FILES.getlist("files"),
                idempotency_key=request.POST.get("idempotency_key", ""),
                request=request,
            )
        except PermissionError:
            error = _("You cannot file materials for this unit.")
        except DomainError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Filed. The evidence checks run in the background."))
            return redirect("materials:submission", pk=submission.pk)
    return render(
        request,
        "volunteers/file.html",
        {
            "a": activity,
            "pairs": pairs,
            "headcount": filing.headcount(activity),
            "error": error,
            "key": secrets.token_urlsafe(24),
        },
        status=400 if error else 200,
    )


def _year(value: Any) -> int:
    from django.utils import timezone

    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@role_required(*READ)
def commendations(request: HttpRequest) -> HttpResponse:
    """评选表彰: the year's nominations, candidates from the figures, review and publication."""
    from chuangwen.volunteers import commendation
    from chuangwen.volunteers.models import Commendation
    from chuangwen.volunteers.permissions import COMMEND

    year = _year(request.GET.get("year"))
    items = scoped(Commendation.objects.select_related("volunteer", "team", "unit"), request.user).filter(
        year=year
    )
    can_nominate = has_any_role(request.user, MANAGE)
    return render(
        request,
        "volunteers/commendations.html",
        {
            "year": year,
            "items": items,
            "candidates": commendation.candidates(request.user, year) if can_nominate else [],
            "teams": scoped(Team.objects.all(), request.user).order_by("name")[:200] if can_nominate else [],
            "can_nominate": can_nominate,
            "can_review": has_any_role(request.user, COMMEND),
        },
    )


@role_required(*MANAGE)
@require_POST
def commendation_nominate(request: HttpRequest) -> HttpResponse:
    from chuangwen.volunteers import commendation

    year = _year(request.POST.get("year"))
    volunteer = team = None
    if request.POST.get("volunteer"):
        volunteer = get_scoped_or_404(
            Volunteer.objects.select_related("unit"), request.user, pk=_int(request.POST.get("volunteer"))
        )
    elif request.POST.get("team"):
        team = get_scoped_or_404(
            Team.objects.select_related("unit"), request.user, pk=_int(request.POST.get("team"))
        )
    try:
        commendation.nominate(
            request.user,
            year,
            volunteer=volunteer,
            team=team,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        messages.success(request, _("The nomination is recorded."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('volunteers:commendations')}?year={year}")


@role_required("office_admin")
@require_POST
def commendation_review(request: HttpRequest, pk: int) -> HttpResponse:
    from chuangwen.volunteers import commendation
    from chuangwen.volunteers.models import Commendation

    item = get_scoped_or_404(Commendation.objects.all(), request.user, pk=pk)
    item.status = request.POST.get("status", item.status)  # the status the reviewer saw
    try:
        commendation.review(
            item,
            request.user,
            approve=request.POST.get("action") == "approve",
            note=request.POST.get("note", ""),
            request=request,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('volunteers:commendations')}?year={item.year}")


@role_required("office_admin")
@require_POST
def commendation_publish(request: HttpRequest) -> HttpResponse:
    from chuangwen.volunteers import commendation

    year = _year(request.POST.get("year"))
    try:
        n = commendation.publish(year, request.user, request=request)
        messages.success(request, _("Published %(n)d commendations.") % {"n": n})
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('volunteers:commendations')}?year={year}")
