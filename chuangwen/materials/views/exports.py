"""The ledger and archive downloads, limited to what the user may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import role_required
from chuangwen.accounts.scope import scoped
from chuangwen.audit.services import log_action
from chuangwen.core.xlsx import xlsx_response
from chuangwen.materials import exports
from chuangwen.materials.models import Submission, SubmissionStatus
from chuangwen.materials.permissions import EXPORT_MATERIALS


def _selection(request: HttpRequest):
    qs = scoped(Submission.objects.current(), request.user, roles=EXPORT_MATERIALS)
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        qs = qs.filter(requirement__task__campaign_id=int(campaign))
    requirement = request.GET.get("requirement", "")
    if requirement.isdigit():
        qs = qs.filter(requirement_id=int(requirement))
    return qs


def _filename(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.{extension}"


@role_required(*EXPORT_MATERIALS)
def ledger(request: HttpRequest) -> HttpResponse:
    rows = exports.ledger_queryset(_selection(request))
    data = exports.ledger_xlsx(rows)
    log_action(
        request.user,
        "materials.ledger.export",
        None,
        {"query": request.GET.urlencode()},
        request=request,
        object_repr=_("Material ledger"),
    )
    return xlsx_response(data, _filename("materials-ledger", "xlsx"))


@role_required(*EXPORT_MATERIALS)
def archive(request: HttpRequest) -> StreamingHttpResponse:
    """Approved materials (every current version with ?all=1) as a zip, streamed."""
    selection = _selection(request)
    if request.GET.get("all") != "1":
        selection = selection.filter(status=SubmissionStatus.APPROVED)
    log_action(
        request.user,
        "materials.archive.export",
        None,
        {"query": request.GET.urlencode()},
        request=request,
        object_repr=_("Material archive"),
    )
    response = StreamingHttpResponse(exports.stream_archive(selection), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_filename("materials-archive", "zip")}"'
    return response
