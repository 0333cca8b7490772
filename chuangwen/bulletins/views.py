"""Pages of bulletins: the archive, a new draft, a bulletin (edit, generate, publish), files.

Thin views: role → a fetch through Bulletin.objects.visible_to (built on the scoping helper)
→ form → service → redirect. The progress bar polls the API's status route.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.bulletins import services
from chuangwen.bulletins.forms import NewBulletinForm, TextsForm
from chuangwen.bulletins.models import Bulletin, BulletinStatus, BulletinUnit
from chuangwen.bulletins.permissions import MANAGE, READ, has_any_role, role_required
from chuangwen.core import storage
from chuangwen.core.errors import ConflictError, DomainError

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def visible(request: HttpRequest):
    return Bulletin.objects.visible_to(request.user).select_related("campaign", "street", "round")


def get_visible_or_404(request: HttpRequest, pk: int) -> Bulletin:
    return get_object_or_404(visible(request), pk=pk)


@role_required(*READ)
def archive(request: HttpRequest, form: NewBulletinForm | None = None) -> HttpResponse:
    qs = visible(request)
    years = sorted(
        {y for y in qs.filter(status=BulletinStatus.PUBLISHED).values_list("year", flat=True) if y},
        reverse=True,
    )
    published = qs.filter(status=BulletinStatus.PUBLISHED).order_by("-year", "-number")
    year = request.GET.get("year", "")
    if year.isdigit():
        published = published.filter(year=int(year))
    can_manage = has_any_role(request.user, MANAGE)
    return render(
        request,
        "bulletins/archive.html",
        {
            "page": Paginator(published, 30).get_page(request.GET.get("page")),
            "drafts": qs.filter(status=BulletinStatus.DRAFT).order_by("-created_at")[:50]
            if can_manage
            else [],
            "years": years,
            "year": year,
            "can_manage": can_manage,
            "form": (form or NewBulletinForm(user=request.user)) if can_manage else None,
        },
    )


@role_required(*MANAGE)
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    form = NewBulletinForm(request.POST, user=request.user)
    if not form.is_valid():
        # Shown again with what was chosen and the errors beside the fields, not emptied.
        messages.error(request, _("Check the period and the choices below."))
        response = archive(request, form=form)
        response.status_code = 400
        return response
    data = form.cleaned_data
    try:
        bulletin, _created = services.create_draft(
            request.user,
            campaign=data["campaign"],
            start=data["start"],
            end=data["end"],
            round_=data["round"],
            street=data["street"],
            request=request,
        )
        services.request_generation(bulletin, request.user, request=request)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:archive")
    return redirect("bulletins:detail", pk=bulletin.pk)


@role_required(*READ)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_visible_or_404(request, pk)
    can_manage = has_any_role(request.user, MANAGE)
    form = TextsForm(instance=bulletin) if can_manage and bulletin.is_draft else None
    mentions = BulletinUnit.objects.filter(bulletin=bulletin).select_related("unit").order_by("unit__path")
    return render(
        request,
        "bulletins/detail.html",
        {
            "bulletin": bulletin,
            "content": bulletin.content or {},
            "form": form,
            "can_manage": can_manage,
            "mentions": mentions if can_manage else [],
        },
    )


@role_required(*MANAGE)
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_visible_or_404(request, pk)
    form = TextsForm(request.POST, instance=bulletin)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("bulletins:detail", pk=pk)
    try:
        services.update_texts(
            bulletin.pk,
            request.user,
            {f: form.cleaned_data[f] for f in services.TEXT_FIELDS},
            request=request,
        )
        messages.success(request, _("Saved. The documents are being written again."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("bulletins:detail", pk=pk)


@role_required(*MANAGE)
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_visible_or_404(request, pk)
    try:
        services.request_generation(bulletin, request.user, request=request)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("bulletins:detail", pk=pk)


@role_required(*MANAGE)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_visible_or_404(request, pk)
    try:
        bulletin = services.publish(bulletin, request.user, request=request)
        messages.success(request, _("Published as %(issue)s.") % {"issue": bulletin.issue_label})
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("bulletins:detail", pk=pk)


@role_required(*MANAGE)
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = get_visible_or_404(request, pk)
    try:
        services.discard(bulletin, request.user, request=request)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:detail", pk=pk)
    messages.success(request, _("The draft was discarded."))
    return redirect("bulletins:archive")


def file_response(bulletin: Bulletin, fmt: str) -> FileResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    stored = bulletin.docx if fmt == "docx" else bulletin.pdf
    if not stored or not bulletin.files_ready:
        raise ConflictError(_("The documents are not ready yet."))
    name = f"{bulletin.title[:60]}-{bulletin.issue_label}.{fmt}".replace("/", "-")
    return storage.serve(stored, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])


@role_required(*READ)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    bulletin = get_visible_or_404(request, pk)
    try:
        return file_response(bulletin, fmt)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:detail", pk=pk)
