"""Pages of the 公益广告 inventory: the list, a placement (edit, photos, the condition found),
the office's checks (gaps on a map, hoarding shares, due for replacement, point requirements)
and its rules and construction sites."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.audit.services import log_action
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.materials.uploads import StoredFiles, check_uploads
from chuangwen.org.models import Road
from chuangwen.placements import services
from chuangwen.placements.forms import ConditionForm, PlacementForm, RequirementForm, RulesForm, SiteForm
from chuangwen.placements.models import (
    Carrier,
    Condition,
    Placement,
    PlacementPhoto,
    Requirement,
    Site,
    Theme,
)
from chuangwen.placements.permissions import (
    CHECK_PLACEMENTS,
    EDIT_PLACEMENTS,
    MANAGE_PLACEMENT_RULES,
    READ_PLACEMENTS,
    RUN_CHECKS,
)
from chuangwen.points.models import Point

PER_PAGE = 50
MAX_PHOTOS = 12


@role_required(*READ_PLACEMENTS)
def placement_list(request: HttpRequest) -> HttpResponse:
    placements = scoped(Placement.objects.filter(is_active=True), request.user)
    params = request.GET
    if params.get("carrier") in Carrier.values:
        placements = placements.filter(carrier=params["carrier"])
    if params.get("theme") in Theme.values:
        placements = placements.filter(theme=params["theme"])
    if params.get("road", "").isdigit():
        placements = placements.filter(road_id=int(params["road"]))
    if params.get("due") == "1":
        placements = services.due_for_replacement(placements)
    elif params.get("condition") in Condition.values:
        placements = placements.filter(condition=params["condition"])
    page = Paginator(placements.select_related("road", "owner_unit").order_by("-id"), PER_PAGE).get_page(
        params.get("page")
    )
    return render(
        request,
        "placements/list.html",
        {
            "page": page,
            "params": params,
            "carriers": Carrier.choices,
            "themes": Theme.choices,
            "conditions": Condition.choices,
            "roads": scoped(Road.objects.all(), request.user).order_by("name"),
            "can_edit": has_any_role(request.user, EDIT_PLACEMENTS),
            "can_check": has_any_role(request.user, RUN_CHECKS),
            "can_manage": has_any_role(request.user, MANAGE_PLACEMENT_RULES),
        },
    )


def _input(form: PlacementForm) -> services.PlacementInput:
    return services.PlacementInput(**form.cleaned_data)


@role_required(*EDIT_PLACEMENTS)
def placement_new(request: HttpRequest) -> HttpResponse:
    form = PlacementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.save_placement(_input(form), request.user, request=request)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Placement added."))
            return redirect("placements:detail", pk=placement.pk)
    return render(request, "placements/edit.html", {"form": form, "placement": None})


@role_required(*EDIT_PLACEMENTS)
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_scoped_or_404(Placement.objects.all(), request.user, pk=pk)
    initial = {
        name: getattr(placement, name) for name in ("carrier", "theme", "title", "address", "lat", "lng")
    }
    initial.update(
        road=placement.road_id,
        point=placement.point_id,
        site=placement.site_id,
        width_m=placement.width_m,
        height_m=placement.height_m,
        installed_on=placement.installed_on,
        content_until=placement.content_until,
        owner_unit=placement.owner_unit_id,
    )
    form = PlacementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_placement(
                _input(form),
                request.user,
                placement=placement,
                version=request.POST.get("version"),
                request=request,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Placement saved."))
            return redirect("placements:detail", pk=placement.pk)
    return render(request, "placements/edit.html", {"form": form, "placement": placement})


@role_required(*READ_PLACEMENTS)
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_scoped_or_404(
        Placement.objects.select_related("road", "owner_unit", "site", "point", "problem"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "placements/detail.html",
        {
            "placement": placement,
            "due": placement.due_reason(),
            "photos": placement.photos.all()[:MAX_PHOTOS],
            "can_edit": has_any_role(request.user, EDIT_PLACEMENTS),
            "can_check": has_any_role(request.user, CHECK_PLACEMENTS),
            "condition_form": ConditionForm(
                initial={
                    "condition": placement.condition,
                    "version": placement.version,
                    "key": secrets.token_urlsafe(16),
                }
            ),
        },
    )


@require_POST
@role_required(*CHECK_PLACEMENTS)
def placement_condition(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_scoped_or_404(Placement.objects.all(), request.user, pk=pk)
    form = ConditionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the condition found."))
        return redirect("placements:detail", pk=placement.pk)
    try:
        photos = check_uploads(request.FILES.getlist("photos")).photos
        row = services.record_condition(
            placement,
            form.cleaned_data["condition"],
            request.user,
            note=form.cleaned_data["note"],
            photos=photos,
            version=form.cleaned_data["version"],
            idempotency_key=form.cleaned_data["key"] or None,
            request=request,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if row.problem_id and row.condition != Condition.GOOD:
            messages.success(
                request,
                _("Condition recorded; problem %(id)s goes to the owner unit.") % {"id": row.problem_id},
            )
        else:
            messages.success(request, _("Condition recorded."))
    return redirect("placements:detail", pk=placement.pk)


@require_POST
@role_required(*EDIT_PLACEMENTS)
def placement_photos(request: HttpRequest, pk: int) -> HttpResponse:
    """Photos of the placement; a phone's retry with the same key stores them once."""
    placement = get_scoped_or_404(Placement.objects.all(), request.user, pk=pk)
    key = (request.POST.get("key") or "").strip()[:80] or None
    if key and PlacementPhoto.objects.filter(placement=placement, client_key=key).exists():
        return redirect("placements:detail", pk=placement.pk)
    try:
        checked = check_uploads(request.FILES.getlist("photos"))
        if checked.documents or not checked.photos:
            raise DomainError(_("Choose at least one photo (photos only)."))
        stored = StoredFiles("placements")
        with stored:
            stored.write_checked(checked)
            with transaction.atomic():
                row = Placement.objects.select_for_update().get(pk=placement.pk)
                if row.photos.count() + len(checked.photos) > MAX_PHOTOS:
                    raise DomainError(_("At most %(n)d photos per placement.") % {"n": MAX_PHOTOS})
                for index, photo in enumerate(checked.photos):
                    item = PlacementPhoto(
                        placement=row,
                        name=photo.name,
                        sha256=photo.info.sha256,
                        taken_by=request.user,
                        client_key=key if index == 0 else None,
                    )
                    item.file.name, item.display.name = stored.names_for(photo)
                    item.save()
                log_action(
                    request.user,
                    "placements.placement.photos",
                    row,
                    {"photos": len(checked.photos)},
                    request=request,
                )
    except IntegrityError:
        pass  # a concurrent retry stored them first
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Photos added."))
    return redirect("placements:detail", pk=placement.pk)


@role_required(*READ_PLACEMENTS)
def photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_scoped_or_404(PlacementPhoto.objects.all(), request.user, pk=pk)
    return storage.serve(
        photo.display if request.GET.get("v") == "display" else photo.file, content_type="image/jpeg"
    )


@role_required(*RUN_CHECKS)
def checks(request: HttpRequest) -> HttpResponse:
    """The office's checks over the placements the user can see."""
    campaign = services.current_campaign()
    rules = services.rules_for(campaign)
    scope = scope_for(request.user)
    road_ids = (
        None
        if scope.everything
        else set(scoped(Road.objects.all(), request.user).values_list("pk", flat=True))
    )
    gaps = services.gap_check(road_ids, rules.max_gap_m)
    shares = services.hoarding_shares(scoped(Site.objects.all(), request.user), rules.hoarding_share_pct)
    visible = scoped(Placement.objects.all(), request.user)
    due = (
        services.due_for_replacement(visible).select_related("owner_unit").order_by("owner_unit__name", "id")
    )
    shortfalls = services.requirement_shortfalls(campaign, scoped(Point.objects.all(), request.user))
    map_data = {
        "roads": [{"name": g.road_name, "gaps": [[list(a), list(b)] for a, b in g.ends]} for g in gaps],
    }
    from chuangwen.shops.models import RoadLine

    lines = RoadLine.objects.filter(road_id__in=[g.road_id for g in gaps]).values_list(
        "coordinates", flat=True
    )
    map_data["lines"] = [[[lat, lng] for lng, lat in coords] for coords in lines]
    return render(
        request,
        "placements/checks.html",
        {
            "rules": rules,
            "gaps": gaps,
            "gap_roads": sum(1 for g in gaps if g.gaps),
            "shares": shares,
            "due": due[:100],
            "due_count": due.count(),
            "shortfalls": shortfalls[:100],
            "map_data": map_data,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@role_required(*MANAGE_PLACEMENT_RULES)
def rules(request: HttpRequest) -> HttpResponse:
    campaign = services.current_campaign()
    if campaign is None:
        raise Http404
    current = services.rules_for(campaign)
    form = RulesForm(
        request.POST if request.POST.get("form") == "rules" else None,
        initial={"max_gap_m": current.max_gap_m, "hoarding_share_pct": current.hoarding_share_pct},
    )
    requirement_form = RequirementForm(request.POST if request.POST.get("form") == "requirement" else None)
    site_form = SiteForm(request.POST if request.POST.get("form") == "site" else None, user=request.user)
    if request.method == "POST":
        try:
            if form.is_bound and form.is_valid():
                services.save_rules(campaign, **form.cleaned_data, actor=request.user, request=request)
                messages.success(request, _("Rules saved."))
                return redirect("placements:rules")
            if requirement_form.is_bound and requirement_form.is_valid():
                services.save_requirement(
                    campaign, **requirement_form.cleaned_data, actor=request.user, request=request
                )
                messages.success(request, _("Requirement saved."))
                return redirect("placements:rules")
            if site_form.is_bound and site_form.is_valid():
                with transaction.atomic():
                    site = Site.objects.create(**site_form.cleaned_data)
                    log_action(
                        request.user, "placements.site.create", site, {"name": site.name}, request=request
                    )
                messages.success(request, _("Construction site added."))
                return redirect("placements:rules")
        except DomainError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "placements/rules.html",
        {
            "form": form,
            "requirement_form": requirement_form,
            "site_form": site_form,
            "requirements": Requirement.objects.filter(campaign=campaign).select_related("point_type"),
            "sites": Site.objects.select_related("owner_unit").order_by("name")[:200],
        },
    )
