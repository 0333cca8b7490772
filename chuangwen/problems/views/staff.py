"""Pages for staff: report from a phone, the inbox, the list, a problem with its timeline and
the action forms, and the photos."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.campaigns.groups import groups_for, owned_by, picked_group
from chuangwen.core import capture, storage
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.org.models import Unit
from chuangwen.problems import forms, queries, routing, services
from chuangwen.problems.models import (
    OPEN_STATUSES,
    QUEUE_STATUSES,
    Channel,
    PhotoKind,
    Problem,
    ProblemCategory,
    ProblemPhoto,
    Source,
    Status,
)
from chuangwen.problems.permissions import DISPATCH, HANDLE, REPORT, VERIFY, has_any_role, role_required
from chuangwen.problems.photos import PhotoError, check_many
from chuangwen.problems.services.base import REASSIGNABLE

PAGE_SIZE = 50


def _page(request: HttpRequest, qs) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    """Every problem the user may see, filtered by status, source, category, unit and text."""
    qs = queries.visible(request.user).select_related(*queries.LIST_RELATED)
    params = request.GET
    status = params.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        qs = qs.overdue()
    elif status in Status.values:
        qs = qs.filter(status=status)
    if params.get("source") in Source.values:
        qs = qs.filter(source=params["source"])
    if params.get("category", "").isdigit():
        qs = qs.filter(Q(category_id=params["category"]) | Q(category__parent_id=params["category"]))
    if params.get("unit", "").isdigit():
        unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=int(params["unit"]))
        qs = qs.filter(unit__path__startswith=unit.path)
    group = picked_group(request.user, params.get("group"))
    if group is not None:
        qs = owned_by(qs, group)
    query = params.get("q", "").strip()
    if query:
        lookup = Q(description__icontains=query) | Q(address__icontains=query) | Q(external_ref=query)
        qs = qs.filter(lookup | Q(pk=int(query)) if query.isdigit() else lookup)
    return render(
        request,
        "problems/list.html",
        {
            "page": _page(request, qs.order_by("-reported_at", "-id")),
            "params": params,
            "statuses": Status.choices,
            "sources": Source.choices,
            "majors": ProblemCategory.objects.filter(parent=None),
            "group": group,
            "groups": groups_for(request.user),
            "now": timezone.now(),
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """My unit's open problems (soonest deadline first) and, for inspectors, what awaits verification."""
    group = picked_group(request.user, request.GET.get("group"))
    page, rows = queries.inbox_page(request.user, request.GET.get("page"), PAGE_SIZE, group)
    return render(
        request,
        "problems/inbox.html",
        {
            "page": page,
            "group": group,
            "groups": groups_for(request.user),
            "rows": rows,
            "to_verify": queries.to_verify(request.user)[:100],
            "can_verify": has_any_role(request.user, VERIFY),
            "can_report": has_any_role(request.user, REPORT),
            "now": timezone.now(),
        },
    )


@role_required(*REPORT)
def report(request: HttpRequest) -> HttpResponse:
    """The phone page: camera, GPS (static/js/problems.js), category picker, duplicates nearby."""
    # A point's QR page links here with ?point_ref=P<id>: the report routes to the point's unit.
    if request.method == "POST" and request.headers.get("X-CW-Queued") == "1":
        return _report_queued(request)
    initial = {"point_ref": request.GET.get("point_ref", "")[:64]}
    form = forms.ReportForm(request.POST or None, request.FILES or None, initial=initial)
    candidates: list[queries.NearbyProblem] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lat, lng = data["position"] or (None, None)
        try:
            photos = check_many(data["photos"])
            same_as = data.get("same_as")
            if same_as:
                return _add_to_existing(request, data["category"], lat, lng, same_as, photos)
            key = f"web:{request.user.pk}:{data['idempotency_key']}" if data["idempotency_key"] else None
            stored = key and Problem.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()
            if stored:  # the same form sent again (a double tap, a resent request)
                return redirect("problems:detail", pk=stored)
            candidates = queries.possible_duplicates(request.user, data["category"], lat, lng)
            if not candidates or data.get("nearby_seen"):
                problem = services.report(
                    request.user,
                    category=data["category"],
                    description=data["description"],
                    source=data["source"],
                    channel=Channel.STAFF,
                    lat=lat,
                    lng=lng,
                    address=data["address"],
                    point_ref=data["point_ref"],
                    urgency=data["urgency"],
                    idempotency_key=key,
                    photos=photos,
                    request=request,
                )
                messages.success(request, _("Problem #%(id)d reported. Thank you.") % {"id": problem.pk})
                return redirect("problems:detail", pk=problem.pk)
            messages.warning(request, _("Similar problems were reported nearby. Is yours one of them?"))
        except DomainError as exc:
            # The form comes back with what was typed; a storage failure is said as such (503).
            form.add_error(None, str(exc))
            status = exc.status if isinstance(exc, storage.StorageUnavailable) else status
    point = routing.point_info(form["point_ref"].value() or "")
    context = {"form": form, "candidates": candidates, "point": point}
    return render(request, "problems/report.html", context, status=status)


def _report_queued(request: HttpRequest) -> JsonResponse:
    """A report made on a phone without a signal, sent later by the offline queue
    (docs/offline.md): JSON in and out, reported at the time it was made (`captured_at`), the
    duplicates nearby not asked about (nobody is there to answer); a resend is stored once."""
    form = forms.ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[name].label if name in form.fields else ''} {' '.join(problems)}".strip()
            for name, problems in form.errors.items()
        )
        return JsonResponse({"ok": False, "message": errors}, status=400)
    data = form.cleaned_data
    lat, lng = data["position"] or (None, None)
    key = f"web:{request.user.pk}:{data['idempotency_key']}" if data["idempotency_key"] else None
    stored = key and Problem.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()
    if stored:
        message = _("Already stored; not stored twice.")
        return JsonResponse({"ok": True, "id": stored, "replayed": True, "message": message})
    try:
        problem = services.report(
            request.user,
            category=data["category"],
            description=data["description"],
            source=data["source"],
            channel=Channel.STAFF,
            lat=lat,
            lng=lng,
            address=data["address"],
            point_ref=data["point_ref"],
            urgency=data["urgency"],
            idempotency_key=key,
            photos=check_many(data["photos"]),
            request=request,
            reported_at=capture.captured_at(request.POST.get("captured_at")),
        )
    except DomainError as exc:
        # 409 conflict and 400 refusal are kept on the phone with the reason; 503 is retried.
        return JsonResponse({"ok": False, "message": str(exc)}, status=exc.status)
    message = _("Problem #%(id)d reported. Thank you.") % {"id": problem.pk}
    return JsonResponse({"ok": True, "id": problem.pk, "message": message})


def _add_to_existing(request: HttpRequest, category, lat, lng, same_as: str, photos) -> HttpResponse:
    """The reporter says it is the same as a problem nearby: add their photos to it instead."""
    match = queries.chosen_duplicate(request.user, same_as, category, lat, lng)
    if match is None:
        raise DomainError(_("That problem is no longer open nearby; report yours as new."))
    if photos:
        services.add_photos(match, request.user, photos=photos, kind=PhotoKind.BEFORE)
    messages.success(
        request, _("Thank you: added to problem #%(id)d, already being handled.") % {"id": match.pk}
    )
    if scoped(Problem.objects.filter(pk=match.pk), request.user).exists():
        return redirect("problems:detail", pk=match.pk)
    return redirect("problems:report")


@role_required(*REPORT)
def nearby(request: HttpRequest) -> HttpResponse:
    """The partial (fetched by the report form's script) of possible duplicates for the category and position being reported."""
    given = request.GET.get("category", "")
    category = (
        ProblemCategory.objects.filter(pk=int(given), parent__isnull=False).first()
        if given.isdigit()
        else None
    )
    candidates: list[queries.NearbyProblem] = []
    if category is not None:
        try:
            lat, lng = float(request.GET.get("lat", "")), float(request.GET.get("lng", ""))
        except ValueError:
            lat = lng = None
        candidates = queries.possible_duplicates(request.user, category, lat, lng)
    return render(request, "problems/_nearby.html", {"candidates": candidates, "live": True})


def available_actions(problem: Problem, user: Any) -> list[str]:
    """The action forms this user gets on this problem now (the POST re-checks everything)."""
    covers_unit = problem.unit_id is not None and scope_for(user).covers(problem.unit)
    office = has_any_role(user, DISPATCH)
    handler = has_any_role(user, HANDLE) and covers_unit
    actions = []
    status = problem.status
    if office and (status in QUEUE_STATUSES or status in REASSIGNABLE):
        actions.append("dispatch")
    if handler and status == Status.DISPATCHED:
        actions.append("accept")
    if handler and not office and not problem.forced and status in (Status.DISPATCHED, Status.ACCEPTED):
        actions.append("return")
    if handler and status == Status.ACCEPTED:
        actions.append("start")
    if handler and status in (Status.ACCEPTED, Status.RECTIFYING):
        actions.append("submit")
    if handler and not office and status in (Status.DISPATCHED, Status.ACCEPTED, Status.RECTIFYING):
        actions.append("extension")
    if has_any_role(user, VERIFY) and status == Status.SUBMITTED:
        actions.append("verify")
    if office and status == Status.EXTENSION_REQUESTED:
        actions.append("decide_extension")
    if office and problem.is_open:
        actions += ["duplicate", "not_applicable"]
    return actions


def _nearby_choices(problem: Problem, user: Any) -> list[tuple[int, str]]:
    """The open problems of the same category near this one that the user may open, as
    choices for a merge: number, words and distance, nearest first."""
    if problem.lat is None or problem.lng is None:
        return []
    found = queries.possible_duplicates(
        user, problem.category, problem.lat, problem.lng, exclude_id=problem.pk
    )
    return [
        (
            c.id,
            _("No. %(id)s · %(text)s · %(metres)s m away")
            % {"id": c.id, "text": (c.description or "")[:30], "metres": c.distance_m},
        )
        for c in found
        if c.id is not None
    ]


def _action_forms(
    problem: Problem, user: Any, actions: list[str], bound: tuple[str, Any] | None = None
) -> dict:
    initial = {"version": problem.version}
    result = {}
    for name in actions:
        form_class, _roles, _handler = ACTIONS[name]
        # Several action forms share a page (and field names): ids per action keep each label
        # tied to its own field.
        kwargs: dict[str, Any] = {"initial": initial, "auto_id": f"{name}-%s"}
        if name == "duplicate":
            kwargs["nearby"] = _nearby_choices(problem, user)
        if name == "dispatch":
            kwargs["units"] = Unit.objects.filter(is_active=True)
            kwargs["initial"] = {**initial, "unit": problem.unit_id or problem.suggested_unit_id}
        result[name] = bound[1] if bound and bound[0] == name else form_class(**kwargs)
    return result


@login_required
def detail(request: HttpRequest, pk: int, bound: tuple[str, Any] | None = None) -> HttpResponse:
    problem = get_scoped_or_404(
        Problem.objects.select_related(
            "category",
            "category__parent",
            "unit",
            "suggested_unit",
            "verify_unit",
            "reporter_unit",
            "returned_from",
            "duplicate_of",
            "grid",
            "road",
        ),
        request.user,
        pk=pk,
    )
    photos = list(problem.photos.all())
    rounds = sorted({p.round for p in photos if p.kind == PhotoKind.AFTER})
    actions = available_actions(problem, request.user)
    return render(
        request,
        "problems/detail.html",
        {
            "problem": problem,
            "events": problem.events.all(),
            "before": [p for p in photos if p.kind == PhotoKind.BEFORE],
            "after": [
                p for p in photos if p.kind == PhotoKind.AFTER and p.round == (rounds[-1] if rounds else 0)
            ],
            "verify_photos": [p for p in photos if p.kind == PhotoKind.VERIFY],
            "earlier_after": [
                p for p in photos if p.kind == PhotoKind.AFTER and rounds and p.round != rounds[-1]
            ],
            "phone": problem.phone_for(request.user),
            "contact": problem.contact_for(request.user),
            "action_forms": _action_forms(problem, request.user, actions, bound),
            "overdue": problem.is_overdue(),
            "notices": problem.notices.all(),
            "cards": problem.cards.all(),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
        status=400 if bound else 200,
    )


Handler = Callable[[Problem, Any, dict, HttpRequest], Problem]


def _photos(data: dict) -> list:
    return check_many(data.get("photos") or [])


ACTIONS: dict[str, tuple[type, tuple[str, ...], Handler]] = {
    "dispatch": (
        forms.DispatchForm,
        DISPATCH,
        lambda p, u, d, r: services.dispatch(
            p,
            u,
            unit=d["unit"],
            version=d["version"],
            force=d["force"],
            deadline=d["deadline"],
            verify_unit=d["verify_unit"],
            note=d["note"],
            request=r,
        ),
    ),
    "accept": (
        forms.VersionForm,
        HANDLE,
        lambda p, u, d, r: services.accept(p, u, version=d["version"], request=r),
    ),
    "return": (
        forms.ReasonForm,
        HANDLE,
        lambda p, u, d, r: services.return_to_office(
            p, u, reason=d["reason"], version=d["version"], request=r
        ),
    ),
    "start": (
        forms.VersionForm,
        HANDLE,
        lambda p, u, d, r: services.start(p, u, version=d["version"], request=r),
    ),
    "submit": (
        forms.SubmitForm,
        HANDLE,
        lambda p, u, d, r: services.submit(
            p, u, measures=d["measures"], photos=_photos(d), version=d["version"], request=r
        ),
    ),
    "verify": (
        forms.VerifyForm,
        VERIFY,
        lambda p, u, d, r: services.verify(
            p, u, passed=d["passed"], note=d["note"], photos=_photos(d), version=d["version"], request=r
        ),
    ),
    "extension": (
        forms.ExtensionForm,
        HANDLE,
        lambda p, u, d, r: services.request_extension(
            p, u, until=d["until"], reason=d["reason"], version=d["version"], request=r
        ),
    ),
    "decide_extension": (
        forms.DecideExtensionForm,
        DISPATCH,
        lambda p, u, d, r: services.decide_extension(
            p, u, approve=d["approve"], note=d["note"], version=d["version"], request=r
        ),
    ),
    "duplicate": (
        forms.DuplicateForm,
        DISPATCH,
        lambda p, u, d, r: services.mark_duplicate(
            p,
            u,
            original=get_scoped_or_404(Problem.objects.all(), u, pk=d["original"]),
            note=d["note"],
            version=d["version"],
            request=r,
        ),
    ),
    "not_applicable": (
        forms.ReasonForm,
        DISPATCH,
        lambda p, u, d, r: services.mark_not_applicable(
            p, u, reason=d["reason"], version=d["version"], request=r
        ),
    ),
}


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One transition from the problem page: role, scope, form, service, back to the page."""
    if name not in ACTIONS:
        raise Http404
    form_class, roles, handler = ACTIONS[name]
    if not has_any_role(request.user, roles):
        raise PermissionDenied
    problem = get_scoped_or_404(Problem.objects.select_related("unit"), request.user, pk=pk)
    # A unit acts on what it answers for, not on what it merely reported.
    answers_for = problem.unit_id is not None and scope_for(request.user).covers(problem.unit)
    if roles is HANDLE and not has_any_role(request.user, DISPATCH) and not answers_for:
        raise PermissionDenied
    kwargs = {"units": Unit.objects.filter(is_active=True)} if name == "dispatch" else {}
    if name == "duplicate":
        kwargs = {"nearby": _nearby_choices(problem, request.user)}
    form = form_class(request.POST, request.FILES, **kwargs)
    if not form.is_valid():
        return detail(request, pk, bound=(name, form))
    try:
        handler(problem, request.user, form.cleaned_data, request)
    except storage.StorageUnavailable as exc:
        # Back to the page with the form as filled in (the measures typed are kept).
        form.add_error(None, str(exc))
        response = detail(request, pk, bound=(name, form))
        response.status_code = exc.status
        return response
    except ConflictError as exc:
        messages.error(request, str(exc))
    except PhotoError as exc:
        form.add_error("photos", str(exc))
        return detail(request, pk, bound=(name, form))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("problems:detail", pk=pk)


@login_required
def photo(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A photo, to whoever may see its problem: the display copy, or the original as uploaded."""
    item = get_scoped_or_404(ProblemPhoto.objects.all(), request.user, pk=pk)
    if variant == "original":
        response = storage.serve(item.original, content_type=item.content_type)
        response["Content-Disposition"] = f'inline; filename="problem-{item.problem_id}-{item.pk}-original"'
    elif variant == "display":
        response = storage.serve(item.display, content_type="image/jpeg")
    else:
        raise Http404
    response["Cache-Control"] = "private, max-age=3600"
    return response
