"""The task table's upload page (preview → map unknown names → commit) and the exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import MANAGE_TASKS, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.models import Campaign
from chuangwen.core.errors import DomainError
from chuangwen.core.excel import SpreadsheetError
from chuangwen.core.xlsx import xlsx_response
from chuangwen.indicators import staging
from chuangwen.indicators.models import EvaluationSystem
from chuangwen.tasks import queries, services
from chuangwen.tasks.export import write_ledger, write_task_table
from chuangwen.tasks.forms import AliasForm, TaskImportForm
from chuangwen.tasks.importing import TaskTable, read_task_table
from chuangwen.tasks.models import ProgressReport, Task

STAGE = "tasks"


def _read_staged(request: HttpRequest, token: str) -> TaskTable | None:
    target = request.session.get("staged_tasks_target") or {}
    data = staging.staged_bytes(request, STAGE, token)
    if data is None or not target.get("campaign"):
        return None
    campaign = get_scoped_or_404(
        Campaign.objects.select_related("root_unit"), request.user, pk=target["campaign"]
    )
    system = (
        get_scoped_or_404(EvaluationSystem.objects.all(), request.user, pk=target["system"])
        if target.get("system")
        else None
    )
    return read_task_table(data, campaign, system)


@role_required(*MANAGE_TASKS)
def import_page(request: HttpRequest) -> HttpResponse:
    """POST action=preview uploads and checks; action=alias maps an unknown name to a unit and
    checks again; action=commit writes the staged file. Nothing is written before commit."""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = TaskImportForm(
        request.POST if action == "preview" else None, request.FILES or None, user=request.user
    )
    table: TaskTable | None = None
    token = request.POST.get("token", "")
    if action == "preview" and form.is_valid():
        data = form.cleaned_data["file"].read(settings.UPLOAD_MAX_BYTES + 1)
        system = form.cleaned_data["system"]
        try:
            table = read_task_table(
                data, form.cleaned_data["campaign"], system, max_bytes=settings.UPLOAD_MAX_BYTES
            )
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            request.session["staged_tasks_target"] = {
                "campaign": form.cleaned_data["campaign"].pk,
                "system": system.pk if system else None,
            }
            token = staging.stage(request, STAGE, data)
    elif action in ("alias", "commit"):
        table = _read_staged(request, token)
        if table is None:
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return redirect("tasks:import")
        if action == "alias":
            alias_form = AliasForm(request.POST, user=request.user)
            if alias_form.is_valid():
                try:
                    services.map_alias(
                        alias_form.cleaned_data["name"],
                        alias_form.cleaned_data["unit"],
                        request.user,
                        request,
                    )
                    messages.success(request, _("Recorded. The table was checked again."))
                except DomainError as exc:
                    messages.error(request, str(exc))
                table = _read_staged(request, token)
        elif table.ok:
            result = services.import_tasks(table, request.user, request=request)
            staging.discard(request, STAGE, token)
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return redirect(f"{_board_url()}?campaign={table.campaign.pk}")
        else:
            messages.error(request, _("The table has errors; nothing was written."))
    unknown = table.unknown_units() if table else []
    return render(
        request,
        "tasks/import.html",
        {
            "form": form,
            "table": table,
            "token": token,
            "unknown": [(p, AliasForm(initial={"name": p.value}, user=request.user)) for p in unknown[:30]],
            "preview": table.tasks[:50] if table else [],
        },
    )


def _board_url() -> str:
    return reverse("tasks:board")


def _filename(stem: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"


@login_required
def export_tasks(request: HttpRequest) -> HttpResponse:
    """The task table (the user's visible tasks of a campaign) in the import's columns."""
    campaign = queries.pick_campaign(request.user, request.GET.get("campaign"))
    tasks = Task.objects.visible_to(request.user).filter(campaign=campaign)
    data = write_task_table(tasks, f"{campaign or ''} 任务分解表")
    return xlsx_response(data, _filename("tasks"))


@login_required
def export_ledger(request: HttpRequest) -> HttpResponse:
    """The progress ledger (台账) of the reports the user may see."""
    campaign = queries.pick_campaign(request.user, request.GET.get("campaign"))
    reports = scoped(ProgressReport.objects.filter(task__campaign=campaign), request.user)
    data = write_ledger(reports, f"{campaign or ''} 任务进展台账")
    return xlsx_response(data, _filename("ledger"))


@role_required(*MANAGE_TASKS)
def import_template(request: HttpRequest) -> HttpResponse:
    """The blank task table to fill in; its example row names the campaign's root unit."""
    from chuangwen.core.import_template import template_response
    from chuangwen.tasks.import_template import task_template

    campaign = queries.pick_campaign(request.user, request.GET.get("campaign"))
    lead = campaign.root_unit.name if campaign is not None else "区文明办"
    return template_response(
        task_template(lead_example=lead, responsible_example=""), "任务分解表导入模板.xlsx"
    )
