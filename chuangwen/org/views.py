"""Pages of the organisation: the unit tree, a unit, people, roads, grids and adoptions."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.core.permissions import has_any_role, role_required
from chuangwen.org import importing, services, staging
from chuangwen.org.forms import ImportUploadForm, PersonForm, UnitForm
from chuangwen.org.models import Adoption, Grid, Person, Road, Unit, UnitKind
from chuangwen.org.permissions import MANAGE_ORG, MANAGE_PEOPLE
from chuangwen.org.scope import get_scoped_or_404, scope_for, scoped

PAGE_SIZE = 50
TREE_PAGE_SIZE = 200


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The tree of units the user can see, in path order and indented by depth, a page at a time.

    A city has thousands of units: one page of the tree is one indexed, limited query, and the
    people of just those units are counted in a second (no GROUP BY over every person).
    """
    units = scoped(Unit.objects.all(), request.user)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query)
        )
    if kind:
        units = units.filter(kind=kind)
    page = Paginator(units.order_by("path"), TREE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    counts = dict(
        Person.objects.filter(unit_id__in=[u.pk for u in rows], is_active=True)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    # Indent from the top of the user's reach, so every page of the tree lines up the same.
    scope = scope_for(request.user)
    base_depth = min((p.count("/") - 2 for p in scope.paths), default=0) if not scope.everything else 0
    # Labels translated once per page: get_kind_display() re-translates every choice per row.
    kind_labels = {value: str(label) for value, label in UnitKind.choices}
    unit_url = _linker("org:unit")
    for unit in rows:
        unit.url = unit_url(unit.pk)
        unit.indent = max(unit.depth - base_depth, 0)
        unit.n_people = counts.get(unit.pk, 0)
        unit.kind_label = kind_labels.get(unit.kind, unit.kind)
    return render(
        request,
        "org/unit_tree.html",
        {
            "units": rows,
            "page": page,
            "page_query": urlencode({k: v for k, v in (("q", query), ("kind", kind)) if v}),
            "query": query,
            "kind": kind,
            "kinds": kind_labels.items(),
            "can_manage": has_any_role(request.user, MANAGE_ORG),
        },
    )


def _linker(name: str) -> Callable[[int], str]:
    """pk -> URL of `name`, from one reverse() per page instead of one per row (on a list of
    200 units, reversing each link costs more than the query does)."""
    url = reverse(name, args=[0])
    cut = url.index("/0/") + 1
    prefix, suffix = url[:cut], url[cut + 1 :]
    return lambda pk: f"{prefix}{pk}{suffix}"


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
    # unit_id after unit__path lets the database read people unit by unit from the
    # (unit, name, id) index instead of sorting them all (paths are unique, so order is unchanged).
    page = Paginator(qs.order_by("unit__path", "unit_id", "name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    unit_url, edit_url = _linker("org:unit"), _linker("org:person_edit")
    for person in page.object_list:
        person.unit_url = unit_url(person.unit_id)
        person.edit_url = edit_url(person.pk)
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


MAX_SHOWN_PROBLEMS = 500  # a file that is wrong everywhere still gives a page one can read


@role_required(*MANAGE_ORG)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a roster of units and people; see what it would do and every problem in it."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    result = None
    token = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = importing.import_units(data, filename=upload.name, max_bytes=settings.UPLOAD_MAX_BYTES)
        if result.file_error:
            form.add_error("file", result.file_error)
            result = None
        elif result.ok:
            token = staging.keep(request, data, upload.name)
    return _import_page(request, form, result, token)


@role_required(*MANAGE_ORG)
@require_POST
def import_commit(request: HttpRequest) -> HttpResponse:
    """Import the file previewed in this session (never a new upload)."""
    staged = staging.take(request, request.POST.get("token", ""))
    if staged is None:
        messages.error(request, _("This upload has expired or was already imported. Upload the file again."))
        return redirect("org:import")
    result = importing.import_units(
        staged.data,
        commit=True,
        actor=request.user,
        request=request,
        filename=staged.filename,
        max_bytes=settings.UPLOAD_MAX_BYTES,
    )
    if not result.committed:
        # The database changed since the preview (say, a code is now taken): show why.
        messages.error(request, _("Nothing was imported; the file no longer passes the checks."))
        return _import_page(request, ImportUploadForm(), result, "")
    messages.success(
        request,
        _(
            "Imported: %(units_new)d new and %(units_updated)d updated units, "
            "%(people_new)d new and %(people_updated)d updated people."
        )
        % {
            "units_new": result.units.new,
            "units_updated": result.units.updated,
            "people_new": result.people.new,
            "people_updated": result.people.updated,
        },
    )
    return redirect("org:units")


def _import_page(
    request: HttpRequest, form: ImportUploadForm, result: importing.ImportResult | None, token: str
) -> HttpResponse:
    return render(
        request,
        "org/import.html",
        {
            "form": form,
            "result": result,
            "token": token,
            "errors": result.errors[:MAX_SHOWN_PROBLEMS] if result else [],
            "hidden_errors": max(0, len(result.errors) - MAX_SHOWN_PROBLEMS) if result else 0,
            "warnings": result.warnings[:MAX_SHOWN_PROBLEMS] if result else [],
            "max_mb": settings.UPLOAD_MAX_BYTES // 1024 // 1024,
        },
    )


@role_required(*MANAGE_ORG)
def import_template(request: HttpRequest) -> HttpResponse:
    """The blank roster to fill in: units and people, an example row, 填写说明, drop-down lists."""
    from chuangwen.core.import_template import template_response
    from chuangwen.org.import_template import unit_template

    return template_response(unit_template(), "单位及人员导入模板.xlsx")
