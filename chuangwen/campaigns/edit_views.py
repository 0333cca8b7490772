"""The office edits the campaign in the product: the campaign, its phases and deliverables,
指挥部 posts and working groups (each change audited through campaigns.services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import MANAGE_CAMPAIGN, has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scope_for
from chuangwen.campaigns import services
from chuangwen.campaigns.forms import (
    CampaignForm,
    DeliverableForm,
    DeliverableMoveForm,
    GroupForm,
    PhaseForm,
    PostForm,
)
from chuangwen.campaigns.models import (
    Campaign,
    CommandPost,
    DeliverableStatus,
    Phase,
    PhaseTask,
    WorkingGroup,
)
from chuangwen.core.errors import DomainError

# A deliverable's responsible unit reports through these roles (as for tasks).
SUBMIT_DELIVERABLE = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON)


def _calendar(campaign: Campaign) -> str:
    return f"{reverse('campaigns:calendar')}?campaign={campaign.pk}"


def _groups(campaign: Campaign) -> str:
    return f"{reverse('campaigns:groups')}?campaign={campaign.pk}"


def _form_page(request: HttpRequest, form, title: str, back: str, **extra) -> HttpResponse:
    return render(request, "campaigns/form.html", {"form": form, "title": title, "back": back, **extra})


@role_required(*MANAGE_CAMPAIGN)
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    campaign = get_scoped_or_404(Campaign.objects.all(), request.user, pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.save_campaign(form, request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect(_calendar(saved))
    title = campaign.name if campaign else _("New campaign")
    return _form_page(request, form, title, reverse("campaigns:calendar"))


@role_required(*MANAGE_CAMPAIGN)
def phase_edit(request: HttpRequest, campaign_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    if pk:
        phase = get_scoped_or_404(Phase.objects.select_related("campaign"), request.user, pk=pk)
        campaign = phase.campaign
    else:
        phase = None
        campaign = get_scoped_or_404(Campaign.objects.all(), request.user, pk=campaign_pk)
    initial = {}
    if phase is None:
        initial["seq"] = (campaign.phases.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    form = PhaseForm(
        request.POST or None, instance=phase, user=request.user, campaign=campaign, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.save_phase(form, request.user, campaign, request=request)
        messages.success(request, _("Saved."))
        return redirect(_calendar(campaign))
    title = phase.name if phase else _("New phase")
    return _form_page(request, form, title, _calendar(campaign), campaign=campaign)


@require_POST
@role_required(*MANAGE_CAMPAIGN)
def phase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_scoped_or_404(Phase.objects.select_related("campaign"), request.user, pk=pk)
    services.delete_object(phase, request.user, "phase", request=request)
    messages.success(request, _("Deleted."))
    return redirect(_calendar(phase.campaign))


@role_required(*MANAGE_CAMPAIGN)
def deliverable_edit(
    request: HttpRequest, phase_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk:
        item = get_scoped_or_404(PhaseTask.objects.select_related("phase__campaign"), request.user, pk=pk)
        phase = item.phase
    else:
        item = None
        phase = get_scoped_or_404(Phase.objects.select_related("campaign"), request.user, pk=phase_pk)
    initial = {} if item else {"due": phase.end, "unit": phase.lead_unit_id}
    form = DeliverableForm(request.POST or None, instance=item, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_deliverable(form, request.user, phase, request=request)
        messages.success(request, _("Saved."))
        return redirect(_calendar(phase.campaign))
    title = _("Deliverable of %(phase)s") % {"phase": phase.name}
    return _form_page(request, form, title, _calendar(phase.campaign))


@require_POST
@role_required(*MANAGE_CAMPAIGN)
def deliverable_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(PhaseTask.objects.select_related("phase__campaign"), request.user, pk=pk)
    services.delete_object(item, request.user, "deliverable", request=request)
    messages.success(request, _("Deleted."))
    return redirect(_calendar(item.phase.campaign))


def can_submit(user, item: PhaseTask) -> bool:
    """The office, or an admin or liaison of the deliverable's responsible unit (or above it)."""
    if has_any_role(user, MANAGE_CAMPAIGN):
        return True
    return bool(item.unit_id) and scope_for(user, roles=SUBMIT_DELIVERABLE[1:]).covers(item.unit)


@require_POST
@login_required
def deliverable_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_scoped_or_404(PhaseTask.objects.select_related("phase__campaign", "unit"), request.user, pk=pk)
    if not can_submit(request.user, item):
        raise PermissionDenied
    form = DeliverableMoveForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the deliverable."))
        return redirect(_calendar(item.phase.campaign))
    try:
        services.move_deliverable(
            request.user,
            item,
            form.cleaned_data["status"],
            by_office=has_any_role(request.user, MANAGE_CAMPAIGN),
            note=form.cleaned_data["note"],
            evidence=form.cleaned_data["evidence"],
            request=request,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, DeliverableStatus(form.cleaned_data["status"]).label)
    return redirect(_calendar(item.phase.campaign))


@role_required(*MANAGE_CAMPAIGN)
def post_edit(request: HttpRequest, campaign_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    if pk:
        post = get_scoped_or_404(
            CommandPost.objects.select_related("campaign__root_unit"), request.user, pk=pk
        )
        campaign = post.campaign
    else:
        post = None
        campaign = get_scoped_or_404(
            Campaign.objects.select_related("root_unit"), request.user, pk=campaign_pk
        )
    form = PostForm(request.POST or None, instance=post, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        services.save_post(form, request.user, campaign, request=request)
        messages.success(request, _("Saved."))
        return redirect(_groups(campaign))
    title = str(post) if post else _("New headquarters post")
    return _form_page(request, form, title, _groups(campaign))


@require_POST
@role_required(*MANAGE_CAMPAIGN)
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_scoped_or_404(CommandPost.objects.select_related("campaign"), request.user, pk=pk)
    services.delete_object(post, request.user, "post", request=request)
    messages.success(request, _("Deleted."))
    return redirect(_groups(post.campaign))


@role_required(*MANAGE_CAMPAIGN)
def group_edit(request: HttpRequest, campaign_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    if pk:
        group = get_scoped_or_404(
            WorkingGroup.objects.select_related("campaign__root_unit"), request.user, pk=pk
        )
        campaign = group.campaign
    else:
        group = None
        campaign = get_scoped_or_404(
            Campaign.objects.select_related("root_unit"), request.user, pk=campaign_pk
        )
    form = GroupForm(request.POST or None, instance=group, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        services.save_group(form, request.user, campaign, request=request)
        messages.success(request, _("Saved."))
        return redirect(_groups(campaign))
    title = group.name if group else _("New working group")
    return _form_page(request, form, title, _groups(campaign))


@require_POST
@role_required(*MANAGE_CAMPAIGN)
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_scoped_or_404(WorkingGroup.objects.select_related("campaign"), request.user, pk=pk)
    services.delete_object(group, request.user, "group", request=request)
    messages.success(request, _("Deleted."))
    return redirect(_groups(group.campaign))
