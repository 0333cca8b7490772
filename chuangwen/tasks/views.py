"""Task pages: the board (per unit and per method), my tasks, a task with its history,
the progress report form, the office's confirmation, attachments and indicator coverage."""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import MANAGE_TASKS, REPORT_PROGRESS, has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.audit.models import AuditEntry
from chuangwen.campaigns.groups import groups_for, picked_group
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.core.middleware import max_body
from chuangwen.indicators.models import Indicator, IndicatorLevel, Method
from chuangwen.indicators.views import pick_system
from chuangwen.org.models import Unit
from chuangwen.tasks import queries, services
from chuangwen.tasks.attachments import (
    FORM_ALLOWANCE,
    AttachmentError,
    check_attachment,
    read_upload,
    shows_inline,
)
from chuangwen.tasks.forms import ProgressReportForm
from chuangwen.tasks.models import (
    AssignmentRole,
    Cadence,
    ProgressAttachment,
    ProgressReport,
    Task,
    TaskAssignment,
    TaskState,
)

PAGE_SIZE = 50


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Tasks by unit and by method, with counts by state; filters in the query string."""
    user = request.user
    group = picked_group(user, request.GET.get("group"))
    # A group belongs to one campaign: picking it from another campaign's board switches boards.
    wanted = request.GET.get("campaign") or (group.campaign_id if group else None)
    campaign = queries.pick_campaign(user, wanted)
    unit_id = request.GET.get("unit", "")
    unit = get_scoped_or_404(Unit.objects.all(), user, pk=int(unit_id)) if unit_id.isdigit() else None
    method = request.GET.get("method", "")
    method = method if method in Method.values or method == "unspecified" else ""
    state = request.GET.get("state", "")
    state = state if state in TaskState.values else ""
    query = request.GET.get("q", "").strip()
    base = queries.tasks_for(user, campaign, unit=unit, query=query, group=group)
    state_counts, method_counts, total = queries.counts(base, method, state)
    filtered = queries.tasks_for(
        user, campaign, unit=unit, method=method, state=state, query=query, group=group
    )
    paginator = Paginator(queries.with_units(queries.nearest_first(filtered)), PAGE_SIZE)
    paginator.count = total  # counted above already: spare the database a second COUNT
    page = paginator.get_page(request.GET.get("page"))
    labels = dict(TaskState.choices)
    for task in page:
        task.state_label = labels[task.state]
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "tasks/board.html",
        {
            "campaign": campaign,
            "page": page,
            "unit": unit,
            "group": group,
            "groups": groups_for(user, campaign) if campaign else [],
            "method": method,
            "state": state,
            "query": query,
            "states": TaskState.choices,
            "methods": Method.choices,
            "state_counts": state_counts,
            "method_counts": method_counts,
            "units": scoped(Unit.objects.filter(is_active=True), user).order_by("path")[:500],
            "querystring": querystring.urlencode(),
            "can_manage": has_any_role(user, MANAGE_TASKS),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Open tasks of my units, nearest deadline first."""
    qs = queries.tasks_for(request.user, queries.pick_campaign(request.user)).exclude(state=TaskState.DONE)
    tasks = list(queries.with_units(queries.nearest_first(qs))[:100])
    today = timezone.localdate()
    for task in tasks:
        task.next = task.next_due(today)
        # Ongoing work (长期坚持) shows as 长期: its monthly report is no deadline to count down.
        task.days_left = (task.next - today).days if task.next and task.cadence != Cadence.ONGOING else None
    return render(request, "tasks/mine.html", {"tasks": tasks, "today": today})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = queries.get_task_or_404(request.user, pk)
    assignments = list(task.assignments.select_related("unit").order_by("role", "unit__path"))
    reports = list(
        scoped(ProgressReport.objects.filter(task=task), request.user)
        .select_related("unit", "submitted_by")
        .prefetch_related("attachments")
        .order_by("-month", "unit__path")
    )
    # The task's own entries, and the imports of its campaign's table since it was created.
    history = AuditEntry.objects.filter(
        Q(object_type="tasks.task", object_id=str(task.pk))
        | Q(
            action="tasks.import",
            object_type="campaigns.campaign",
            object_id=str(task.campaign_id),
            created_at__gte=task.created_at - dt.timedelta(seconds=5),
        )
    ).order_by("-id")[:100]
    can_report = has_any_role(request.user, REPORT_PROGRESS) and bool(
        services.reporting_units(task, request.user)
    )
    return render(
        request,
        "tasks/detail.html",
        {
            "task": task,
            "lead": [a for a in assignments if a.role == AssignmentRole.LEAD],
            "responsible": [a for a in assignments if a.role == AssignmentRole.RESPONSIBLE],
            "cooperating": [a for a in assignments if a.role == AssignmentRole.COOPERATING],
            "milestones": task.milestones.all(),
            "reports": reports,
            "history": history,
            "next_due": task.next_due(),
            "can_report": can_report and task.state != TaskState.DONE,
            "can_manage": has_any_role(request.user, MANAGE_TASKS),
            "people": task.people.select_related("unit"),
        },
    )


@max_body(lambda: services.MAX_ATTACHMENTS * settings.UPLOAD_MAX_BYTES + FORM_ALLOWANCE)
@role_required(*REPORT_PROGRESS)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The responsible unit reports its progress for a month, with attachments."""
    task = queries.get_task_or_404(request.user, pk)
    units = services.reporting_units(task, request.user)
    form = ProgressReportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            checked = [check_attachment(read_upload(f), f.name) for f in form.cleaned_data["files"]]
            services.submit_report(
                task,
                form.cleaned_data["unit"],
                form.cleaned_data["month"],
                form.cleaned_data["text"],
                request.user,
                files=checked,
                request=request,
            )
        except (AttachmentError, DomainError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Progress reported."))
            return redirect("tasks:detail", pk=task.pk)
    return render(request, "tasks/report_form.html", {"task": task, "form": form, "units": units})


@role_required(*MANAGE_TASKS)
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    task = queries.get_task_or_404(request.user, pk)
    try:
        services.confirm_done(task, request.user, request=request)
        messages.success(request, _("Confirmed done."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("tasks:detail", pk=task.pk)


@role_required(*MANAGE_TASKS)
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = queries.get_task_or_404(request.user, pk)
    try:
        services.reopen(task, request.user, reason=request.POST.get("reason", "")[:200], request=request)
        messages.success(request, _("The task is open again."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("tasks:detail", pk=task.pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A progress report's file: a verified image inline, anything else as a download (a PDF
    can carry JavaScript; an Office file macros), never sniffed, never run as a page."""
    item = get_scoped_or_404(ProgressAttachment.objects.all(), request.user, pk=pk)
    if not item.file.name:
        raise storage.FileMissing("")
    with storage.guard("open", item.file.name), item.file.open("rb") as handle:
        data = handle.read()
    inline = shows_inline(item.content_type, data)
    response = FileResponse(
        io.BytesIO(data),
        as_attachment=not inline,
        filename=item.original_name,
        content_type=item.content_type
        if inline or not item.content_type.startswith("image/")
        else "application/octet-stream",
    )
    # Should a browser still render it as a document, it runs no script and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """The indicator tree with, for each Ⅲ item, its tasks and whether any has a responsible unit.
    Items with no task, or whose tasks have no lead or responsible unit, are the gaps."""
    system = pick_system(request)
    roots, gaps, total = [], 0, 0
    if system is not None:
        owned = TaskAssignment.objects.filter(role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE])
        counts = {
            row["indicator_id"]: row
            for row in Task.objects.filter(indicator__system=system)
            .values("indicator_id")
            .annotate(n=Count("id"), owned=Count("id", filter=Q(pk__in=owned.values("task_id"))))
        }
        nodes = list(Indicator.objects.filter(system=system).order_by("position", "id"))
        by_id = {n.pk: n for n in nodes}
        for node in nodes:
            node.items = []
            row = counts.get(node.pk, {"n": 0, "owned": 0})
            node.n_tasks, node.n_owned = row["n"], row["owned"]
        for node in nodes:
            parent = by_id.get(node.parent_id)
            (parent.items if parent else roots).append(node)
            if node.level == IndicatorLevel.III:
                total += 1
                node.gap = "no_task" if not node.n_tasks else ("no_unit" if not node.n_owned else "")
                gaps += bool(node.gap)
    return render(
        request,
        "tasks/coverage.html",
        {
            "system": system,
            "roots": roots,
            "gaps": gaps,
            "total": total,
            "only_gaps": request.GET.get("gaps") == "1",
        },
    )
