"""Pages of the frontage register: the grid's list, a shop (edit, photos, pledge, problems,
notices), the road walk, coverage, the office's rules and road lines, and the public exposure
list."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.core.text import mask_phone
from chuangwen.materials.uploads import check_uploads
from chuangwen.org.models import Grid, Road
from chuangwen.problems.models import OPEN_STATUSES
from chuangwen.shops import documents, services
from chuangwen.shops.forms import PhotoForm, PledgeForm, ReportForm, RoadLineForm, RulesForm, ShopForm
from chuangwen.shops.models import DUTY_CHECKS, Category, Duty, Notice, RoadLine, Shop, ShopPhoto
from chuangwen.shops.permissions import EDIT_SHOPS, MANAGE_SHOP_RULES, READ_SHOPS, REPORT_AT_SHOP

PER_PAGE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sees_contact(user: Any, shop: Shop) -> bool:
    """The office and the people of the shop's own 包保 unit (its grid) see the contact in full;
    everyone else (leaders, inspectors, the street above) sees it masked."""
    return sees_contact_at(user, shop.unit.path)


def sees_contact_at(user: Any, unit_path: str) -> bool:
    """`sees_contact` by the path of the shop's unit; the roles are read once per request."""
    cache = user.__dict__.setdefault("_shop_contact_cache", {})
    if "office" not in cache:
        cache["office"] = has_any_role(user, MANAGE_SHOP_RULES)
        editor = has_any_role(user, EDIT_SHOPS)
        cache["paths"] = scope_for(user, EDIT_SHOPS).paths if editor else ()
    if cache["office"]:
        return True
    return any(unit_path.startswith(path) for path in cache["paths"])


def contact_of(user: Any, shop: Shop) -> str:
    return shop.contact_phone if sees_contact(user, shop) else mask_phone(shop.contact_phone)


def office_name() -> str:
    campaign = services.current_campaign()
    return campaign.office_unit.name if campaign and campaign.office_unit_id else ""


def filtered(request: HttpRequest):
    """The user's shops with the list's filters applied."""
    shops = scoped(Shop.objects.filter(is_active=True), request.user)
    params = request.GET
    if params.get("grid", "").isdigit():
        shops = shops.filter(grid_id=int(params["grid"]))
    if params.get("road", "").isdigit():
        shops = shops.filter(road_id=int(params["road"]))
    if params.get("category") in Category.values:
        shops = shops.filter(category=params["category"])
    if params.get("pledge") == "unsigned":
        shops = shops.filter(Q(pledge_signed_on__isnull=True) | Q(pledge_scan=""))
    if params.get("exposed") == "1":
        shops = shops.filter(exposed_at__isnull=False)
    if params.get("grid_code", "").strip():
        shops = shops.filter(grid__code=params["grid_code"].strip()[:40])
    query = params.get("q", "").strip()[:60]
    if query:
        shops = shops.filter(Q(name__icontains=query) | Q(address__icontains=query))
    return shops


PICKER_MAX = 200


def _picker(rows: Any) -> list | None:
    """The rows of a drop-down, or None when there are too many to list."""
    found = list(rows.only("pk", "name")[: PICKER_MAX + 1])
    return None if len(found) > PICKER_MAX else found


@role_required(*READ_SHOPS)
def shop_list(request: HttpRequest) -> HttpResponse:
    shops = filtered(request).select_related("grid", "road").order_by("name", "id")
    page = Paginator(shops, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "shops/list.html",
        {
            "page": page,
            # A city's office sees a thousand grids: past PICKER_MAX the filter is a code field.
            "grids": _picker(scoped(Grid.objects.all(), request.user).order_by("code")),
            "roads": _picker(scoped(Road.objects.all(), request.user).order_by("name")),
            "categories": Category.choices,
            "params": request.GET,
            "can_edit": has_any_role(request.user, EDIT_SHOPS),
            "can_manage": has_any_role(request.user, MANAGE_SHOP_RULES),
        },
    )


def _input(form: ShopForm) -> services.ShopInput:
    data = form.cleaned_data
    return services.ShopInput(
        name=data["name"],
        category=data["category"],
        address=data["address"],
        lat=data["lat"],
        lng=data["lng"],
        road=data["road"],
        grid=data["grid"],
        unit=data["unit"],
        walk_order=data["walk_order"] or 0,
        licence_no=data["licence_no"],
        licence_seen=data["licence_seen"],
        licence_expiry=data["licence_expiry"],
        food_licence_seen=data["food_licence_seen"],
        food_licence_expiry=data["food_licence_expiry"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        duties=data["duties"],
    )


def _check_targets(user: Any, data: services.ShopInput) -> None:
    """The unit a shop is put under must be in the user's reach (the form's choices are scoped,
    so this only refuses a unit that follows from a road chief outside it)."""
    unit = (
        data.unit or (data.grid.unit if data.grid else None) or (data.road.chief_unit if data.road else None)
    )
    if unit is not None and not scope_for(user).covers(unit):
        raise DomainError(_("The responsible unit is outside your units."))


@role_required(*EDIT_SHOPS)
def shop_new(request: HttpRequest) -> HttpResponse:
    form = ShopForm(
        request.POST or None, user=request.user, initial={"duties": [d.value for d in services_three()]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = _input(form)
            _check_targets(request.user, data)
            shop = services.save_shop(data, request.user, request=request)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Shop added."))
            return redirect("shops:shop", pk=shop.pk)
    return render(request, "shops/edit.html", {"form": form, "shop": None})


def services_three() -> list[Duty]:
    from chuangwen.shops.models import THREE_DUTIES

    return list(THREE_DUTIES)


@role_required(*READ_SHOPS)
def shop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shop = get_scoped_or_404(Shop.objects.select_related("grid", "road", "unit"), request.user, pk=pk)
    problems = shop.problems.select_related("category", "unit").order_by("-reported_at")[:20]
    return render(
        request,
        "shops/detail.html",
        {
            "shop": shop,
            "contact": contact_of(request.user, shop),
            "photos": shop.photos.all()[:12],
            "problems": problems,
            "problem_count": shop.problems.count(),
            "notices": shop.notices.all()[:10],
            "licence_problems": shop.licence_problems(),
            "duties": [(Duty(d).label, DUTY_CHECKS[d]) for d in shop.duty_list()],
            "can_edit": has_any_role(request.user, EDIT_SHOPS),
            "can_report": has_any_role(request.user, REPORT_AT_SHOP),
            "can_manage": has_any_role(request.user, MANAGE_SHOP_RULES),
            "pledge_form": PledgeForm(initial={"version": shop.version}),
            "photo_form": PhotoForm(initial={"key": secrets.token_urlsafe(16)}),
        },
    )


@role_required(*EDIT_SHOPS)
def shop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shop = get_scoped_or_404(Shop.objects.all(), request.user, pk=pk)
    initial = {
        "name": shop.name,
        "category": shop.category,
        "address": shop.address,
        "lat": shop.lat,
        "lng": shop.lng,
        "road": shop.road_id,
        "grid": shop.grid_id,
        "unit": shop.unit_id,
        "walk_order": shop.walk_order,
        "licence_no": shop.licence_no,
        "licence_seen": shop.licence_seen,
        "licence_expiry": shop.licence_expiry,
        "food_licence_seen": shop.food_licence_seen,
        "food_licence_expiry": shop.food_licence_expiry,
        "contact_name": shop.contact_name,
        "contact_phone": shop.contact_phone if sees_contact(request.user, shop) else "",
        "duties": shop.duty_list(),
    }
    form = ShopForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = _input(form)
            if not data.contact_phone and not sees_contact(request.user, shop):
                data.contact_phone = shop.contact_phone  # a masked number is kept, not erased
            _check_targets(request.user, data)
            services.save_shop(
                data, request.user, shop=shop, version=request.POST.get("version"), request=request
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Shop saved."))
            return redirect("shops:shop", pk=shop.pk)
    return render(request, "shops/edit.html", {"form": form, "shop": shop})


@require_POST
@role_required(*EDIT_SHOPS)
def shop_photos(request: HttpRequest, pk: int) -> HttpResponse:
    shop = get_scoped_or_404(Shop.objects.all(), request.user, pk=pk)
    try:
        services.add_photos(
            shop, request.FILES.getlist("photos"), request.user, request.POST.get("key", ""), request
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Photos added."))
    return redirect("shops:shop", pk=shop.pk)


@role_required(*READ_SHOPS)
def photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_scoped_or_404(ShopPhoto.objects.all(), request.user, pk=pk)
    return storage.serve(
        photo.display if request.GET.get("v") == "display" else photo.file, content_type="image/jpeg"
    )


@role_required(*READ_SHOPS)
def pledge_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The pledge as .docx, numbered on first generation."""
    shop = get_scoped_or_404(Shop.objects.select_related("grid", "road", "unit"), request.user, pk=pk)
    if not shop.pledge_no:
        if not has_any_role(request.user, EDIT_SHOPS):
            raise Http404
        shop = services.number_pledge(shop, request.user, request=request)
        shop = Shop.objects.select_related("grid", "road", "unit").get(pk=shop.pk)
    response = HttpResponse(documents.pledge(shop, office_name()), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="pledge-{shop.pledge_no}.docx"'
    return response


@require_POST
@role_required(*EDIT_SHOPS)
def pledge_sign(request: HttpRequest, pk: int) -> HttpResponse:
    shop = get_scoped_or_404(Shop.objects.all(), request.user, pk=pk)
    form = PledgeForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("shops:shop", pk=shop.pk)
    try:
        services.sign_pledge(
            shop,
            form.cleaned_data["scan"],
            form.cleaned_data["signed_on"],
            request.user,
            form.cleaned_data["version"],
            request,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Signed pledge recorded."))
    return redirect("shops:shop", pk=shop.pk)


@role_required(*READ_SHOPS)
def pledge_scan(request: HttpRequest, pk: int) -> HttpResponse:
    shop = get_scoped_or_404(Shop.objects.all(), request.user, pk=pk)
    if not shop.pledge_scan:
        raise Http404
    return storage.serve(shop.pledge_scan, content_type=shop.pledge_scan_type or None)


@role_required(*READ_SHOPS)
def notice_document(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_scoped_or_404(Notice.objects.select_related("shop__unit"), request.user, pk=pk)
    response = HttpResponse(documents.notice(notice, office_name()), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.number}.docx"'
    return response


@role_required(*REPORT_AT_SHOP)
def report_problem(request: HttpRequest, pk: int) -> HttpResponse:
    """A problem found at this shop: its 包保 unit answers for it."""
    shop = get_scoped_or_404(Shop.objects.select_related("unit"), request.user, pk=pk)
    form = ReportForm(request.POST or None, initial={"key": secrets.token_urlsafe(16)})
    if request.method == "POST" and form.is_valid():
        try:
            photos = check_uploads(request.FILES.getlist("photos")).photos
            problem = services.report_at_shop(
                shop,
                request.user,
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                photos=photos,
                idempotency_key=form.cleaned_data["key"] or None,
                request=request,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Problem %(id)s filed for %(unit)s.") % {"id": problem.pk, "unit": shop.unit.name}
            )
            return redirect("shops:shop", pk=shop.pk)
    return render(request, "shops/report.html", {"form": form, "shop": shop})


@role_required(*READ_SHOPS)
def road_walk(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector's phone list of a road's shops in order along it, with the duties to check."""
    road = get_scoped_or_404(Road.objects.all(), request.user, pk=pk)
    shops = list(scoped(Shop.objects.filter(road=road, is_active=True), request.user).in_walk_order())
    open_counts = dict(
        Shop.objects.filter(pk__in=[s.pk for s in shops])
        .annotate(n=Count("problems", filter=Q(problems__status__in=OPEN_STATUSES)))
        .values_list("pk", "n")
    )
    rows = [
        {
            "shop": s,
            "open": open_counts.get(s.pk, 0),
            "checks": [(Duty(d).label, DUTY_CHECKS[d]) for d in s.duty_list()],
            "licence": s.licence_problems(),
        }
        for s in shops
    ]
    line = RoadLine.objects.filter(road=road).first()
    return render(request, "shops/walk.html", {"road": road, "rows": rows, "line": line})


@role_required(*READ_SHOPS)
def coverage(request: HttpRequest) -> HttpResponse:
    """Signed pledges per road and per grid: the shops still without one."""
    shops = scoped(Shop.objects.filter(is_active=True), request.user)
    signed = Q(pledge_signed_on__isnull=False) & ~Q(pledge_scan="")
    by_road = (
        shops.exclude(road=None)
        .values("road_id", "road__name")
        .annotate(total=Count("id"), signed=Count("id", filter=signed))
        .order_by("road__name")
    )
    by_grid = (
        shops.exclude(grid=None)
        .values("grid_id", "grid__name")
        .annotate(total=Count("id"), signed=Count("id", filter=signed))
        .order_by("grid__name")
    )
    return render(request, "shops/coverage.html", {"by_road": by_road, "by_grid": by_grid})


@role_required(*MANAGE_SHOP_RULES)
def rules(request: HttpRequest) -> HttpResponse:
    campaign = services.current_campaign()
    if campaign is None:
        raise Http404
    current = services.rules_for(campaign)
    form = RulesForm(
        request.POST or None,
        initial={
            "notice_after": current.notice_after,
            "window_days": current.window_days,
            "expose_after": current.expose_after,
            "five_duties": current.five_duties,
        },
    )
    line_form = RoadLineForm(prefix="line")
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rules(campaign, **form.cleaned_data, actor=request.user, request=request)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rules saved."))
            return redirect("shops:rules")
    lines = RoadLine.objects.select_related("road").order_by("road__name")
    return render(request, "shops/rules.html", {"form": form, "line_form": line_form, "lines": lines})


@require_POST
@role_required(*MANAGE_SHOP_RULES)
def road_line(request: HttpRequest) -> HttpResponse:
    form = RoadLineForm(request.POST, prefix="line")
    if form.is_valid():
        try:
            geometry = json.loads(form.cleaned_data["geometry"])
            services.save_road_line(
                form.cleaned_data["road"], geometry, form.cleaned_data["is_main"], request.user, request
            )
        except json.JSONDecodeError:
            messages.error(request, _("The line is not valid JSON."))
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Road line saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("shops:rules")


@require_POST
@role_required(*MANAGE_SHOP_RULES)
def unexpose(request: HttpRequest, pk: int) -> HttpResponse:
    shop = get_scoped_or_404(Shop.objects.all(), request.user, pk=pk)
    try:
        services.lift_exposure(shop, request.user, request.POST.get("version"), request)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The shop is off the exposure list."))
    return redirect("shops:shop", pk=shop.pk)


def exposure(request: HttpRequest) -> HttpResponse:
    """The public list of shops exposed for neglecting their frontage (no login; no contact,
    no people: only the shop's name, address and the reason)."""
    shops = (
        Shop.objects.filter(exposed_at__isnull=False, is_active=True)
        .select_related("road")
        .only("name", "address", "exposed_at", "exposure_reason", "road__name", "category")
        .order_by("-exposed_at")
    )
    page = Paginator(shops, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "shops/exposure.html", {"page": page})


@role_required(*EDIT_SHOPS)
def shop_import(request: HttpRequest) -> HttpResponse:
    """Import shops from Excel: a dry run first, then the same file with “write the changes”."""
    from chuangwen.points.forms import ImportForm
    from chuangwen.shops.importing import import_shops

    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_shops(
            form.cleaned_data["file"].read(),
            request.user,
            commit=form.cleaned_data["commit"],
            request=request,
        )
        if report.committed:
            messages.success(
                request, _("Imported: %(c)d new, %(u)d updated.") % {"c": report.created, "u": report.updated}
            )
            return redirect("shops:list")
    return render(
        request,
        "points/import.html",
        {
            "form": form,
            "report": report,
            "title": _("Import street-front shops"),
            "template_url": reverse("shops:import_template"),
        },
    )


@role_required(*EDIT_SHOPS)
def shop_import_template(request: HttpRequest) -> HttpResponse:
    from chuangwen.core.import_template import template_response
    from chuangwen.shops.import_template import shop_template

    grid = scoped(Grid.objects.all(), request.user).order_by("code").first()
    road = scoped(Road.objects.all(), request.user).order_by("name").first()
    data = shop_template(grid.code if grid else "", road.name if road else "")
    return template_response(data, "沿街商户导入模板.xlsx")
