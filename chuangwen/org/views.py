"""Pages of the organisation: the unit tree, a unit, people, roads, grids and adoptions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import MANAGE_ORG, MANAGE_PEOPLE, has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.org import services
from chuangwen.org.forms import PersonForm, UnitForm
from chuangwen.org.models import Adoption, Grid, Person, Road, Unit, UnitKind

PAGE_SIZE = 50


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The tree of units the user can see, indented by depth (one query, ordered by path)."""
    units = scoped(Unit.objects.all(), request.user).annotate(n_people=Count("people"))
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query)
        )
    if kind:
        units = units.filter(kind=kind)
    rows = list(units.order_by("path")[:2000])
    base_depth = min((u.depth for u in rows), default=0)
    for unit in rows:
        unit.indent = unit.depth - base_depth
    return render(
        request,
        "org/unit_tree.html",
        {
            "units": rows,
            "query": query,
            "kind": kind,
            "kinds": UnitKind.choices,
            "can_manage": has_any_role(request.user, MANAGE_ORG),
            "truncated": len(rows) == 2000,
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.select_related("parent"), request.user, pk=pk)
    scope = scope_for(request.user)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "ancestors": [a for a in unit.ancestors() if scope.covers(a) and a.pk != unit.pk],
            "children": unit.children.order_by("sort_order", "name"),
            "people": unit.people.filter(is_active=True).order_by("name")[:200],
            "aliases": unit.aliases.all(),
            "can_manage": has_any_role(request.user, MANAGE_ORG),
        },
    )


@role_required(*MANAGE_ORG)
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=pk) if pk else None
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.save_unit(form, actor=request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("org:unit", pk=saved.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    qs = scoped(Person.objects.select_related("unit"), request.user).filter(is_active=True)
    query = request.GET.get("q", "").strip()
    unit_id = request.GET.get("unit", "")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(position__icontains=query) | Q(phone__contains=query))
    if unit_id.isdigit():
        unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=int(unit_id))
        qs = qs.filter(unit__path__startswith=unit.path)
    page = Paginator(qs.order_by("unit__path", "name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/people.html",
        {
            "page": page,
            "query": query,
            "unit_id": unit_id,
            "can_manage": has_any_role(request.user, MANAGE_PEOPLE),
        },
    )


@role_required(*MANAGE_PEOPLE)
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person = get_scoped_or_404(Person.objects.all(), request.user, pk=pk) if pk else None
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_person(form, actor=request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("org:people")
    return render(request, "org/person_form.html", {"form": form, "person": person})


@login_required
def territory(request: HttpRequest) -> HttpResponse:
    """Roads with their road chiefs, grids with their staff, and adoptions."""
    user = request.user
    roads = scoped(Road.objects.select_related("unit", "chief_unit", "chief_person"), user)
    grids = scoped(Grid.objects.select_related("unit").annotate(n_staff=Count("staff")), user)
    adoptions = scoped(Adoption.objects.select_related("target_unit", "adopter_unit", "adopter_person"), user)
    return render(
        request,
        "org/territory.html",
        {
            "roads": roads.order_by("unit__path", "name")[:500],
            "grids": grids.order_by("unit__path", "code")[:500],
            "adoptions": adoptions.order_by("target_unit__path", "target_name")[:500],
        },
    )
