"""The office's page of background jobs that failed or were set aside."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.errors import DomainError
from chuangwen.jobs import services
from chuangwen.jobs.models import NEEDS_ATTENTION, JobRun, JobState
from chuangwen.jobs.permissions import SEE_JOBS


@role_required(*SEE_JOBS)
def job_list(request: HttpRequest) -> HttpResponse:
    """Failed and set-aside jobs first (what needs the office), then what is running or waiting."""
    visible = scoped(JobRun.objects.all(), request.user)
    failed = visible.filter(state__in=NEEDS_ATTENTION).order_by("-finished_at", "-id")
    page = Paginator(failed, 50).get_page(request.GET.get("page"))
    active = visible.filter(state__in=(JobState.RUNNING, JobState.RETRYING, JobState.INTERRUPTED)).order_by(
        "-started_at"
    )[:50]
    return render(request, "jobs/list.html", {"page": page, "active": active})


@role_required(*SEE_JOBS)
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_scoped_or_404(JobRun.objects.all(), request.user, pk=pk)
    try:
        services.dismiss(run, request.user, request=request)
        messages.success(request, _("The job was dismissed."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("jobs:list")
