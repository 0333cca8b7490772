"""The evaluation-system tree and its import page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import MANAGE_INDICATORS, has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.models import Campaign
from chuangwen.core.excel import SpreadsheetError
from chuangwen.indicators import services, staging
from chuangwen.indicators.forms import IndicatorImportForm
from chuangwen.indicators.importing import read_indicator_table
from chuangwen.indicators.models import EvaluationSystem, GradeBand, Indicator

STAGE = "indicators"


def pick_system(request: HttpRequest) -> EvaluationSystem | None:
    """The system named by ?system=, else the newest one of the current campaign, else any."""
    systems = scoped(EvaluationSystem.objects.select_related("campaign"), request.user)
    wanted = request.GET.get("system", "")
    if wanted.isdigit():
        return get_scoped_or_404(systems, request.user, pk=int(wanted))
    return systems.filter(campaign__is_current=True).first() or systems.first()


def build_tree(system: EvaluationSystem) -> list[Indicator]:
    """Level 1 items, each with `.items` (its level 2 items, each with `.items`): one query."""
    nodes = list(Indicator.objects.filter(system=system).order_by("position", "id"))
    bands: dict[int, list[GradeBand]] = {}
    for band in GradeBand.objects.filter(indicator__system=system).order_by("grade"):
        bands.setdefault(band.indicator_id, []).append(band)
    by_id = {n.pk: n for n in nodes}
    roots = []
    for node in nodes:
        node.items = []
        node.bands = bands.get(node.pk, [])
    for node in nodes:
        parent = by_id.get(node.parent_id)
        (parent.items if parent else roots).append(node)
    return roots


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    system = pick_system(request)
    return render(
        request,
        "indicators/tree.html",
        {
            "system": system,
            "systems": scoped(EvaluationSystem.objects.all(), request.user),
            "roots": build_tree(system) if system else [],
            "negatives": list(system.negative_items.all()) if system else [],
            "can_manage": has_any_role(request.user, MANAGE_INDICATORS),
        },
    )


@role_required(*MANAGE_INDICATORS)
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload → preview (dry run, every problem listed) → commit the staged file."""
    form = IndicatorImportForm(request.POST or None, request.FILES or None, user=request.user)
    context: dict = {"form": form}
    if request.method == "POST" and request.POST.get("action") == "commit":
        token = request.POST.get("token", "")
        data = staging.staged_bytes(request, STAGE, token)
        if data is None:
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return redirect("indicators:import")
        table = read_indicator_table(data)
        target = request.session.get("staged_indicators_target", {})
        system = (
            get_scoped_or_404(EvaluationSystem.objects.all(), request.user, pk=target["system"])
            if target.get("system")
            else services.system_for_import(
                None,
                target.get("name", ""),
                target.get("edition", ""),
                target.get("level", ""),
                scoped(Campaign.objects.all(), request.user).filter(pk=target.get("campaign")).first(),
            )
        )
        if not table.ok:
            messages.error(request, _("The file has errors; nothing was written."))
            return redirect("indicators:import")
        result = services.import_indicators(table, system, request.user, request=request)
        staging.discard(request, STAGE, token)
        messages.success(
            request,
            _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect(f"{reverse('indicators:tree')}?system={system.pk}")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(settings.UPLOAD_MAX_BYTES + 1)
        try:
            table = read_indicator_table(data, max_bytes=settings.UPLOAD_MAX_BYTES)
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            system = form.cleaned_data["system"]
            campaign = form.cleaned_data["campaign"]
            request.session["staged_indicators_target"] = {
                "system": system.pk if system else None,
                "name": form.cleaned_data["name"],
                "edition": form.cleaned_data["edition"],
                "level": form.cleaned_data["level"],
                "campaign": campaign.pk if campaign else None,
            }
            context.update(
                table=table,
                token=staging.stage(request, STAGE, data) if table.ok else "",
                counts=table.counts(),
                target=system or form.cleaned_data["name"],
            )
    return render(request, "indicators/import.html", context)


@role_required(*MANAGE_INDICATORS)
def import_template(request: HttpRequest) -> HttpResponse:
    """The blank evaluation-system table to fill in, with its 填写说明 sheet."""
    from chuangwen.core.import_template import template_response
    from chuangwen.indicators.import_template import indicator_template

    return template_response(indicator_template(), "测评体系导入模板.xlsx")
