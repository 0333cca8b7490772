"""Pages about requirements: the list, one requirement with its coverage, the editor, the
review policy, the coverage board, the unit's list of what is due and the reviewer's queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.materials import coverage, services
from chuangwen.materials.forms import PolicyForm, RequirementForm
from chuangwen.materials.models import LEVEL_ORDER, MaterialRequirement, ReviewLevel, ReviewPolicy
from chuangwen.materials.parsing import parse_requirement_text
from chuangwen.materials.periods import periods_for
from chuangwen.materials.permissions import MANAGE_MATERIALS, SUBMIT_MATERIALS, can_submit_for
from chuangwen.materials.review import queue, reviewer_levels
from chuangwen.org.models import Unit
from chuangwen.tasks.models import Task

BOARD_UNITS_PER_PAGE = 40


def _campaign(request: HttpRequest) -> Campaign | None:
    return chosen_campaign(request.user, request.GET.get("campaign"))


def _requirements(request: HttpRequest, campaign: Campaign | None):
    qs = MaterialRequirement.objects.visible_to(request.user).select_related(
        "task__indicator", "task__campaign"
    )
    if campaign is not None:
        qs = qs.filter(task__campaign=campaign)
    return qs.filter(is_active=True).order_by("task__indicator__position", "task_id", "seq", "id")


@login_required
def requirement_list(request: HttpRequest) -> HttpResponse:
    """Requirements by task; for the office also the tasks whose text has not been turned into any."""
    campaign = _campaign(request)
    requirements = list(_requirements(request, campaign).annotate(n_submissions=Count("submissions")))
    undrafted = []
    if has_any_role(request.user, MANAGE_MATERIALS) and campaign is not None:
        undrafted = list(
            Task.objects.filter(campaign=campaign)
            .exclude(material_requirement="")
            .annotate(n=Count("material_requirements"))
            .filter(n=0)
            .order_by("source_row", "id")[:200]
        )
    return render(
        request,
        "materials/requirements.html",
        {
            "campaign": campaign,
            "requirements": requirements,
            "undrafted": undrafted,
            "can_manage": has_any_role(request.user, MANAGE_MATERIALS),
        },
    )


@login_required
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = get_object_or_404(
        MaterialRequirement.objects.visible_to(request.user).select_related(
            "task__campaign", "task__indicator"
        ),
        pk=pk,
    )
    units = scoped(Unit.objects.filter(task_assignments__task=requirement.task), request.user).order_by(
        "path"
    )
    grid = coverage.period_grid(requirement, units)
    rows = [(unit, grid[unit.pk], can_submit_for(request.user, unit)) for unit in units]
    start, end = requirement.window()
    return render(
        request,
        "materials/requirement_detail.html",
        {
            "requirement": requirement,
            "periods": periods_for(requirement),
            "rows": rows,
            "window": (start, end),
            "can_manage": has_any_role(request.user, MANAGE_MATERIALS),
            "can_submit": any(allowed for _u, _c, allowed in rows),
        },
    )


@role_required(*MANAGE_MATERIALS)
def requirement_new(request: HttpRequest, task_pk: int) -> HttpResponse:
    """A new requirement; drafts parsed from the task's 材料审核具体要求 text prefill the form."""
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=task_pk)
    drafts = parse_requirement_text(task.material_requirement)
    chosen = request.GET.get("draft", "0")
    initial = {}
    if drafts and chosen.isdigit() and int(chosen) < len(drafts):
        initial = drafts[int(chosen)].as_initial()
    initial.setdefault("source_text", task.material_requirement)
    initial["seq"] = task.material_requirements.count() + 1
    form = RequirementForm(request.POST or None, initial=initial, task=task)
    if request.method == "POST" and form.is_valid():
        requirement = services.save_requirement(form, actor=request.user, request=request)
        messages.success(request, _("Requirement saved."))
        return redirect("materials:requirement", pk=requirement.pk)
    return render(
        request,
        "materials/requirement_form.html",
        {
            "form": form,
            "task": task,
            "drafts": drafts,
            "chosen": chosen,
        },
    )


@role_required(*MANAGE_MATERIALS)
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = get_object_or_404(MaterialRequirement.objects.visible_to(request.user), pk=pk)
    form = RequirementForm(request.POST or None, instance=requirement, task=requirement.task)
    if request.method == "POST" and form.is_valid():
        services.save_requirement(form, actor=request.user, request=request)
        messages.success(request, _("Requirement saved."))
        return redirect("materials:requirement", pk=requirement.pk)
    return render(
        request,
        "materials/requirement_form.html",
        {
            "form": form,
            "task": requirement.task,
            "requirement": requirement,
            "drafts": parse_requirement_text(requirement.task.material_requirement),
        },
    )


@role_required(*MANAGE_MATERIALS)
def policy_edit(request: HttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    if campaign is None:
        messages.error(request, _("There is no campaign yet."))
        return redirect("materials:requirements")
    policy = ReviewPolicy.for_campaign(campaign)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        services.save_policy(form, actor=request.user, request=request)
        messages.success(request, _("Review policy saved."))
        return redirect("materials:policy")
    return render(request, "materials/policy.html", {"form": form, "campaign": campaign})


@login_required
def coverage_board(request: HttpRequest) -> HttpResponse:
    """Requirement × unit: satisfied / in review / sent back / missing, units paged."""
    campaign = _campaign(request)
    requirements = list(_requirements(request, campaign))
    indicator = request.GET.get("indicator", "")
    if indicator.isdigit():
        requirements = [r for r in requirements if r.task.indicator_id == int(indicator)]
    task_ids = {r.task_id for r in requirements}
    units = (
        scoped(Unit.objects.filter(task_assignments__task_id__in=task_ids), request.user)
        .distinct()
        .order_by("path")
    )
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    page = Paginator(units, BOARD_UNITS_PER_PAGE).get_page(request.GET.get("page"))
    result = coverage.board(requirements, list(page.object_list))
    rows = [(unit, [result.cell(r.pk, unit.pk) for r in requirements]) for unit in page.object_list]
    return render(
        request,
        "materials/coverage.html",
        {
            "campaign": campaign,
            "requirements": requirements,
            "rows": rows,
            "page": page,
            "query": query,
            "legend": [
                (state, label, coverage.STATE_COLOURS[state], result.totals()[state])
                for state, label in coverage.STATE_LABELS.items()
            ],
        },
    )


@login_required
def due_list(request: HttpRequest) -> HttpResponse:
    """What the user's units still owe, soonest first. The office and leaders, who see every
    unit, pick one (the coverage board is their overview)."""
    campaign = _campaign(request)
    requirements = list(_requirements(request, campaign))
    assigned = (
        scoped(
            Unit.objects.filter(task_assignments__task__material_requirements__in=requirements), request.user
        )
        .distinct()
        .order_by("path")
    )
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        units = list(assigned.filter(pk=int(unit_id)))
    elif scope_for(request.user).everything:
        units = []
    else:
        units = list(assigned)
    # Opens on 本期 + 逾期; older periods and everything are one click away, with counts.
    by_bucket = coverage.buckets(coverage.due_items(requirements, units))
    show = request.GET.get("show", "")
    if show not in (coverage.OLDER, "all"):
        show = ""
    if show == coverage.OLDER:
        items = by_bucket[coverage.OLDER]
    elif show == "all":
        items = [i for rows in by_bucket.values() for i in rows]
        items.sort(key=lambda item: (item.period.end, item.requirement.pk, item.unit.pk))
    else:
        items = by_bucket[coverage.OVERDUE] + by_bucket[coverage.CURRENT]
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "materials/due.html",
        {
            "campaign": campaign,
            "page": page,
            "items": page.object_list,
            "units": assigned[:1000],
            "unit_id": int(unit_id) if unit_id.isdigit() else None,
            "show": show,
            "counts": {name: len(rows) for name, rows in by_bucket.items()},
            "pick_unit": scope_for(request.user).everything and not unit_id.isdigit(),
            "can_submit": has_any_role(request.user, SUBMIT_MATERIALS),
        },
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    levels = reviewer_levels(request.user)
    level = request.GET.get("level") or (levels[0] if levels else "")
    if level not in LEVEL_ORDER:
        level = ""
    submissions = (
        queue(request.user, level or None)
        .select_related("requirement__task__indicator", "unit", "submitted_by")
        .annotate(n_photos=Count("photos", distinct=True))
        .order_by("submitted_at", "id")
    )
    page = Paginator(submissions, 50).get_page(request.GET.get("page"))
    tabs = [(lvl, ReviewLevel(lvl).label, queue(request.user, lvl).count()) for lvl in levels]
    return render(request, "materials/queue.html", {"page": page, "level": level, "tabs": tabs})
