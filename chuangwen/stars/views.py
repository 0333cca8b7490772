"""Pages of star ratings: the list by title, the scheme, one rating with its workflow."""

from __future__ import annotations

import secrets
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.choice import required_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Unit
from chuangwen.stars import exports, services
from chuangwen.stars.forms import OpenForm, SetupForm
from chuangwen.stars.models import Evidence, Rating, Stage, StepAction, Title
from chuangwen.stars.permissions import FILL, MANAGE_STARS, READ_RATINGS

LIST_READERS = ("office_admin", "leader")
# The buttons say what the user does; the history (StepAction labels) says what was done.
ACTION_BUTTONS = {
    StepAction.SUBMIT: gettext_lazy("Submit"),
    StepAction.APPROVE: gettext_lazy("Approve"),
    StepAction.RETURN: gettext_lazy("Return"),
    StepAction.ACCEPT: gettext_lazy("Accept (county inspection)"),
    StepAction.COMMEND: gettext_lazy("Record the commendation"),
}
PENDING = "pending"  # the list's filter for ratings without a title yet (not accepted)


def campaign_for(user: Any, campaign_id: Any = None) -> Campaign:
    """The campaign asked for (if visible), else the current one; 404 when there is none."""
    return required_campaign(user, campaign_id)


def fillable_units(user: Any, campaign: Campaign):
    """Communities and villages the user may open a rating for."""
    units = Unit.objects.under(campaign.root_unit).filter(kind__in=services.COMMUNITY_KINDS, is_active=True)
    if has_any_role(user, MANAGE_STARS):
        return units.order_by("path")
    return scoped(units, user, roles=FILL).order_by("path")


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def visible_ratings(user: Any, campaign: Campaign, year: int, title: str | None = None):
    """The year's ratings the user may see; `title` filters by conferred title ("pending": none
    conferred yet, i.e. not accepted)."""
    rows = scoped(Rating.objects.filter(campaign=campaign, year=year), user).select_related(
        "unit", "unit__parent"
    )
    if title is not None:
        rows = rows.filter(title="" if title == PENDING else title)
    return rows.order_by("-stars", "-total", "unit__path")


@role_required(*READ_RATINGS)
def rating_list(request: HttpRequest) -> HttpResponse:
    campaign = campaign_for(request.user, request.GET.get("campaign"))
    year = _year(request)
    title = request.GET.get("title")
    title = title if title in (*Title.values, PENDING) else None
    rows = visible_ratings(request.user, campaign, year, title)
    counts = Counter(visible_ratings(request.user, campaign, year).values_list("title", flat=True))
    titles = [(value, label, counts.get(value, 0)) for value, label in Title.choices]
    titles.append((PENDING, _("Not yet accepted"), counts.get("", 0)))
    units = fillable_units(request.user, campaign)
    return render(
        request,
        "stars/list.html",
        {
            "campaign": campaign,
            "year": year,
            "title": title,
            "titles": titles,
            "page": Paginator(rows, 100).get_page(request.GET.get("page")),
            "open_form": OpenForm(units=units, initial={"year": year}) if units.exists() else None,
            "can_manage": has_any_role(request.user, MANAGE_STARS),
            "can_export": has_any_role(request.user, LIST_READERS),
        },
    )


@role_required(*MANAGE_STARS)
def setup(request: HttpRequest) -> HttpResponse:
    campaign = campaign_for(request.user, request.GET.get("campaign"))
    scheme, aspects = services.setup_for(campaign)
    initial = {
        "star_threshold": scheme.star_threshold,
        "top_stars": scheme.top_stars,
        "pass_stars": scheme.pass_stars,
        "aspects": "\n".join(f"{a.name} | {a.description}" if a.description else a.name for a in aspects),
    }
    form = SetupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_setup(
                campaign,
                data["star_threshold"],
                data["top_stars"],
                data["pass_stars"],
                form.aspect_inputs(),
                request.user,
                request,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("stars:list")
    return render(request, "stars/setup.html", {"form": form, "campaign": campaign})


@role_required(*READ_RATINGS)
@require_POST
def open_rating(request: HttpRequest) -> HttpResponse:
    campaign = campaign_for(request.user, request.POST.get("campaign"))
    form = OpenForm(request.POST, units=fillable_units(request.user, campaign))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("stars:list")
    try:
        rating = services.open_rating(
            campaign, form.cleaned_data["unit"], form.cleaned_data["year"], request.user, request
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("stars:list")
    return redirect("stars:rating", pk=rating.pk)


def _rating(request: HttpRequest, pk: int) -> Rating:
    return get_scoped_or_404(Rating.objects.select_related("unit", "campaign"), request.user, pk=pk)


@role_required(*READ_RATINGS)
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    scheme, _aspects = services.setup_for(rating.campaign)
    scores = list(rating.scores.select_related("aspect").prefetch_related("evidence"))
    user = request.user
    stage = rating.stage
    may_score = (stage == Stage.SELF and services.can_fill(user, rating)) or (
        stage == Stage.TOWNSHIP and services.can_review(user, rating)
    )
    actions = []
    if services.may_act(user, rating):
        actions = [a for (s, a) in services.TRANSITIONS if s == stage]
    return render(
        request,
        "stars/rating.html",
        {
            "rating": rating,
            "scheme": scheme,
            "scores": scores,
            "steps": rating.steps.select_related("actor"),
            "may_score": may_score,
            "score_stage": stage,
            "may_upload": stage == Stage.SELF and services.can_fill(user, rating),
            # A fresh key per page: the browser resending the same form stores its files once.
            "upload_key": secrets.token_urlsafe(18),
            "actions": [(a, ACTION_BUTTONS[StepAction(a)]) for a in actions],
            "commending": stage == Stage.COMMENDATION and bool(actions),
        },
    )


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version")
    return int(raw) if raw and raw.isdigit() else None


@role_required(*READ_RATINGS)
@require_POST
def rating_scores(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    entries = [
        services.ScoreInput(
            score.aspect_id,
            request.POST.get(f"score_{score.aspect_id}", ""),
            request.POST.get(f"comment_{score.aspect_id}", ""),
        )
        for score in rating.scores.all()
        if f"score_{score.aspect_id}" in request.POST
    ]
    try:
        services.save_scores(rating, entries, request.user, _version(request), request)
        messages.success(request, _("Scores saved."))
    except PermissionError as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("stars:rating", pk=rating.pk)


@role_required(*READ_RATINGS)
@require_POST
def rating_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    try:
        aspect_id = int(request.POST.get("aspect") or 0)
        key = request.POST.get("idempotency_key", "").strip()[:64]
        made = services.add_evidence(
            rating,
            aspect_id,
            request.FILES.getlist("files"),
            request.user,
            request,
            idempotency_key=f"web:{request.user.pk}:{key}" if key else "",
        )
        messages.success(request, _("%(n)d files added.") % {"n": len(made)})
    except PermissionError as exc:
        raise PermissionDenied from exc
    except (DomainError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("stars:rating", pk=rating.pk)


@role_required(*READ_RATINGS)
@require_POST
def rating_action(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    try:
        services.act(
            rating,
            request.POST.get("action", ""),
            request.user,
            request.POST.get("comment", ""),
            _version(request),
            request,
            body=request.POST.get("body", ""),
            document=request.POST.get("document", ""),
        )
        messages.success(request, _("Done."))
    except PermissionError as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("stars:rating", pk=rating.pk)


@role_required(*READ_RATINGS)
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_scoped_or_404(Evidence.objects.all(), request.user, pk=pk)
    use_display = request.GET.get("v") == "display" and bool(evidence.display)
    field = evidence.display if use_display else evidence.file
    return storage.serve(
        field,
        content_type="image/jpeg" if use_display else evidence.content_type,
        as_attachment=evidence.kind != "photo",
        filename=evidence.name,
    )


@role_required(*LIST_READERS)
def export(request: HttpRequest) -> FileResponse:
    campaign = campaign_for(request.user, request.GET.get("campaign"))
    year = _year(request)
    out = exports.ratings_xlsx(campaign, year, visible_ratings(request.user, campaign, year))
    return FileResponse(out, as_attachment=True, filename=f"star-ratings-{year}.xlsx")
