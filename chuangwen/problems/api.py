"""API routes of problems: intake from phones (idempotent), the lifecycle actions, queries.

Like the pages: the role decides what a caller may do (403), the scoping helper what it may
see (404), a stale `version` is a 409 and a transition the rules forbid is a 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangwen.accounts.scope import get_scoped_or_404, scope_for
from chuangwen.campaigns.groups import owned_by, picked_group
from chuangwen.core.errors import DomainError
from chuangwen.core.geo import PositionError, parse_position
from chuangwen.core.pagination import Pagination
from chuangwen.core.text import normalize_phone
from chuangwen.org.models import Unit
from chuangwen.problems import queries, rates, services
from chuangwen.problems.models import (
    Channel,
    PhotoKind,
    Problem,
    ProblemCategory,
    ProblemEvent,
    Source,
    Status,
    Urgency,
)
from chuangwen.problems.permissions import DISPATCH, HANDLE, READ_RATES, REPORT, VERIFY, has_any_role
from chuangwen.problems.photos import check_many

router = Router(tags=["problems"])


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    time_limit: int | None
    time_unit: str
    default_unit_id: int | None


class ProblemOut(Schema):
    id: int
    version: int
    status: str
    source: str
    channel: str
    category_id: int
    category: str
    urgency: str
    description: str
    address: str
    lat: float | None
    lng: float | None
    point_ref: str
    unit_id: int | None
    unit: str
    suggested_unit_id: int | None
    routed_by: str
    forced: bool
    verify_unit_id: int | None
    reported_at: dt.datetime
    dispatched_at: dt.datetime | None
    deadline: dt.datetime | None
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None
    on_time: bool | None
    overdue: bool
    rework_count: int
    supervised: bool
    escalation: str
    measures: str
    status_note: str
    reporter_name: str
    reporter_phone: str
    reporter_email: str = ""  # in full for the office, masked for everyone else
    reporter_device: str = ""
    media_url: str = ""
    external_ref: str
    duplicate_of_id: int | None
    possible_duplicates: list[int] = []


class CreatedOut(Schema):
    """What a phone needs back after reporting; GET /{id} gives the whole problem."""

    id: int
    version: int
    status: str
    unit_id: int | None
    routed_by: str
    deadline: dt.datetime | None
    public_token: str | None
    possible_duplicates: list[int] = []  # the nearby problems the caller may open
    other_duplicates: int = 0  # and how many more belong to other units (not named)


class EventOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    actor_name: str
    from_status: str
    to_status: str
    note: str


class NearbyOut(Schema):
    """A possible duplicate. Another unit's problem comes as category, distance, age and
    status only: id, reported_at and description are null unless the caller may open it."""

    id: int | None
    category: str
    distance_m: int
    age_hours: int
    status: str
    reported_at: dt.datetime | None
    description: str | None


class RateOut(Schema):
    key: str | None
    label: str
    total: int
    due: int
    closed: int
    on_time: int
    rework: int
    reworked: int
    rectification_rate: float | None
    on_time_rate: float | None
    basis: str = Field(..., description="what the rectification rate divides by: due or found")
    denominator: int
    rate_text: str = Field(..., description="the rate's numerator and denominator in words")


class ProblemIn(Schema):
    category_id: int
    description: str
    source: Source = Source.PATROL
    urgency: Urgency = Urgency.NORMAL
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    point_ref: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    external_ref: str = ""
    idempotency_key: str = ""


class VersionIn(Schema):
    version: int


class ReasonIn(VersionIn):
    reason: str


class DispatchIn(VersionIn):
    unit_id: int
    force: bool = False
    deadline: dt.datetime | None = None
    verify_unit_id: int | None = None
    note: str = ""


class SubmitIn(VersionIn):
    measures: str


class VerifyIn(VersionIn):
    passed: bool
    note: str = ""


class ExtensionIn(VersionIn):
    until: dt.datetime
    reason: str


class DecideIn(VersionIn):
    approve: bool
    note: str = ""
    until: dt.datetime | None = None


class DuplicateIn(VersionIn):
    original_id: int
    note: str = ""


def out(problem: Problem, user: Any, duplicates: list[int] | None = None) -> dict[str, Any]:
    data = {name: getattr(problem, name) for name in ProblemOut.model_fields if hasattr(problem, name)}
    contact = problem.contact_for(user)
    data.update(
        category=problem.category.name,
        unit=problem.unit.name if problem.unit_id else "",
        overdue=problem.is_overdue(),
        reporter_phone=problem.phone_for(user),
        reporter_email=contact.get("email", ""),
        reporter_device=contact.get("device", ""),
        possible_duplicates=duplicates or [],
    )
    return data


def _require(user: Any, roles: tuple[str, ...]) -> None:
    if not has_any_role(user, roles):
        raise PermissionError("forbidden")


def _problem(request: HttpRequest, problem_id: int) -> Problem:
    return get_scoped_or_404(Problem.objects.select_related("category", "unit"), request.auth, pk=problem_id)


def _handled(request: HttpRequest, problem_id: int) -> Problem:
    """A problem the caller's unit answers for (the office may act on any)."""
    _require(request.auth, HANDLE)
    problem = _problem(request, problem_id)
    if not has_any_role(request.auth, DISPATCH) and (
        problem.unit_id is None or not scope_for(request.auth).covers(problem.unit)
    ):
        raise PermissionError("your unit does not answer for this problem")
    return problem


@router.get("/categories", response=list[CategoryOut], summary="Problem categories with time limits")
def list_categories(request: HttpRequest):
    return ProblemCategory.objects.filter(is_active=True)


@router.get("/", response=list[ProblemOut], summary="Problems the caller can see, newest first")
@paginate(Pagination)
def list_problems(
    request: HttpRequest,
    status: str = "",
    source: str = "",
    unit_id: int | None = None,
    category_id: int | None = None,
    overdue: bool = False,
    group_id: int | None = None,
):
    qs = queries.visible(request.auth).select_related("category", "unit")
    group = picked_group(request.auth, group_id)
    if group is not None:
        qs = owned_by(qs, group)
    if status in Status.values:
        qs = qs.filter(status=status)
    if source in Source.values:
        qs = qs.filter(source=source)
    if unit_id is not None:
        unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id)
        qs = qs.filter(unit__path__startswith=unit.path)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    if overdue:
        qs = qs.overdue()
    return [out(p, request.auth) for p in qs.order_by("-reported_at", "-id")[:5000]]


@router.post("/", response={200: CreatedOut, 201: CreatedOut}, summary="Report a problem (idempotent)")
def create_problem(request: HttpRequest, payload: ProblemIn, check_duplicates: bool = False):
    """Send an `Idempotency-Key` header (or `idempotency_key`): a retry stores the problem once
    and answers 200 with the first result; a new problem answers 201. With
    `?check_duplicates=true` the answer lists open problems of the same category nearby
    (GET /nearby offers them before reporting, which is what the phone page does)."""
    _require(request.auth, REPORT)
    category = queries.minor_category(payload.category_id)
    if category is None:
        raise DomainError("unknown category_id (use a minor category from /api/problems/categories)")
    lat = lng = None
    if payload.lat is not None or payload.lng is not None:
        try:
            lat, lng = parse_position(payload.lat, payload.lng)
        except PositionError as exc:
            raise DomainError(str(exc)) from exc
    key = request.headers.get("Idempotency-Key") or payload.idempotency_key
    problem = services.report(
        request.auth,
        category=category,
        description=payload.description,
        source=payload.source,
        channel=Channel.API,
        lat=lat,
        lng=lng,
        address=payload.address,
        point_ref=payload.point_ref,
        urgency=payload.urgency,
        reporter_name=payload.reporter_name,
        reporter_phone=normalize_phone(payload.reporter_phone) or "",
        external_ref=payload.external_ref,
        idempotency_key=f"api:{request.auth.pk}:{key}" if key else None,
        request=request,
    )
    nearby = (
        queries.possible_duplicates(request.auth, category, lat, lng, exclude_id=problem.pk)
        if check_duplicates
        else []
    )
    duplicates = [p.id for p in nearby if p.id is not None]
    extra = ("possible_duplicates", "other_duplicates")
    created = {name: getattr(problem, name) for name in CreatedOut.model_fields if name not in extra}
    return Answer(
        200 if problem.replayed else 201,
        {**created, "possible_duplicates": duplicates, "other_duplicates": len(nearby) - len(duplicates)},
    )


@router.get("/inbox", response=list[ProblemOut], summary="Open problems my units answer for, soonest first")
@paginate(Pagination)
def my_inbox(request: HttpRequest, group_id: int | None = None):
    group = picked_group(request.auth, group_id)
    return [out(p, request.auth) for p in queries.inbox(request.auth, group)[:2000]]


@router.get("/nearby", response=list[NearbyOut], summary="Possible duplicates: same category, 50 m, 7 days")
def nearby(request: HttpRequest, category_id: int, lat: float, lng: float):
    _require(request.auth, REPORT)
    category = ProblemCategory.objects.filter(pk=category_id).first()
    if category is None:
        return []
    return [
        {
            "id": p.id,
            "category": p.category,
            "distance_m": p.distance_m,
            "age_hours": p.age_hours,
            "status": p.status,
            "reported_at": p.reported_at,
            "description": p.description[:60] if p.description is not None else None,
        }
        for p in queries.possible_duplicates(request.auth, category, lat, lng)
    ]


@router.get("/rates", response=list[RateOut], summary="Rectification and on-time rates")
def rate_list(
    request: HttpRequest, by: str = "unit", start: dt.date | None = None, end: dt.date | None = None
):
    _require(request.auth, READ_RATES)
    if by not in rates.GROUPINGS:
        raise DomainError(f"by must be one of {', '.join(rates.GROUPINGS)}")
    rows, total = rates.rates(request.auth, by, start, end)
    return [
        {
            **row.__dict__,
            "key": None if row.key is None else str(row.key),
            "label": str(row.label),
            "rectification_rate": row.rectification_rate,
            "on_time_rate": row.on_time_rate,
            "basis": str(row.basis),
            "denominator": row.denominator,
            "rate_text": row.describe,
        }
        for row in [*rows, total]
    ]


@router.get("/{problem_id}", response=ProblemOut, summary="One problem")
def get_problem(request: HttpRequest, problem_id: int):
    return out(_problem(request, problem_id), request.auth)


@router.get("/{problem_id}/events", response=list[EventOut], summary="A problem's timeline")
def get_events(request: HttpRequest, problem_id: int):
    return ProblemEvent.objects.filter(problem=_problem(request, problem_id)).order_by("at", "id")


@router.post(
    "/{problem_id}/photos",
    response=list[int],
    summary="Add photos (before, after or verify; Idempotency-Key makes a retry safe)",
)
def add_photos(
    request: HttpRequest,
    problem_id: int,
    kind: Form[PhotoKind],
    files: File[list[UploadedFile]],
    idempotency_key: Form[str] = "",
):
    """Send an `Idempotency-Key` header (or an `idempotency_key` field): a retry of an upload
    already stored answers with the first upload's photo ids and stores nothing."""
    roles = {PhotoKind.BEFORE: REPORT, PhotoKind.AFTER: HANDLE, PhotoKind.VERIFY: VERIFY}[kind]
    _require(request.auth, roles)
    problem = _handled(request, problem_id) if kind == PhotoKind.AFTER else _problem(request, problem_id)
    key = (request.headers.get("Idempotency-Key") or idempotency_key or "").strip()[:64]
    saved = services.add_photos(
        problem,
        request.auth,
        photos=check_many(files),
        kind=kind,
        idempotency_key=f"api:{request.auth.pk}:{key}" if key else None,
    )
    return [p.pk for p in saved]


@router.post("/{problem_id}/dispatch", response=ProblemOut, summary="Dispatch or reassign (office)")
def dispatch(request: HttpRequest, problem_id: int, payload: DispatchIn):
    _require(request.auth, DISPATCH)
    problem = _problem(request, problem_id)
    unit = get_scoped_or_404(Unit.objects.filter(is_active=True), request.auth, pk=payload.unit_id)
    verify_unit = (
        get_scoped_or_404(Unit.objects.all(), request.auth, pk=payload.verify_unit_id)
        if payload.verify_unit_id
        else None
    )
    problem = services.dispatch(
        problem,
        request.auth,
        unit=unit,
        version=payload.version,
        force=payload.force,
        deadline=payload.deadline,
        verify_unit=verify_unit,
        note=payload.note,
        request=request,
    )
    return out(problem, request.auth)


@router.post("/{problem_id}/accept", response=ProblemOut, summary="Accept (the responsible unit)")
def accept(request: HttpRequest, problem_id: int, payload: VersionIn):
    problem = services.accept(
        _handled(request, problem_id), request.auth, version=payload.version, request=request
    )
    return out(problem, request.auth)


@router.post("/{problem_id}/return", response=ProblemOut, summary="Return to the office with a reason")
def return_problem(request: HttpRequest, problem_id: int, payload: ReasonIn):
    problem = services.return_to_office(
        _handled(request, problem_id),
        request.auth,
        reason=payload.reason,
        version=payload.version,
        request=request,
    )
    return out(problem, request.auth)


@router.post("/{problem_id}/start", response=ProblemOut, summary="Start the rectification")
def start(request: HttpRequest, problem_id: int, payload: VersionIn):
    problem = services.start(
        _handled(request, problem_id), request.auth, version=payload.version, request=request
    )
    return out(problem, request.auth)


@router.post(
    "/{problem_id}/submit", response=ProblemOut, summary="Submit measures (after-photos uploaded first)"
)
def submit(request: HttpRequest, problem_id: int, payload: SubmitIn):
    problem = services.submit(
        _handled(request, problem_id),
        request.auth,
        measures=payload.measures,
        version=payload.version,
        request=request,
    )
    return out(problem, request.auth)


@router.post(
    "/{problem_id}/verify", response=ProblemOut, summary="Verify on site: pass closes, fail sends back"
)
def verify(request: HttpRequest, problem_id: int, payload: VerifyIn):
    _require(request.auth, VERIFY)
    problem = services.verify(
        _problem(request, problem_id),
        request.auth,
        passed=payload.passed,
        note=payload.note,
        version=payload.version,
        request=request,
    )
    return out(problem, request.auth)


@router.post("/{problem_id}/extension", response=ProblemOut, summary="Ask the office for more time")
def request_extension(request: HttpRequest, problem_id: int, payload: ExtensionIn):
    problem = services.request_extension(
        _handled(request, problem_id),
        request.auth,
        until=payload.until,
        reason=payload.reason,
        version=payload.version,
        request=request,
    )
    return out(problem, request.auth)


@router.post("/{problem_id}/extension/decide", response=ProblemOut, summary="Approve or refuse an extension")
def decide_extension(request: HttpRequest, problem_id: int, payload: DecideIn):
    _require(request.auth, DISPATCH)
    problem = services.decide_extension(
        _problem(request, problem_id),
        request.auth,
        approve=payload.approve,
        note=payload.note,
        until=payload.until,
        version=payload.version,
        request=request,
    )
    return out(problem, request.auth)


@router.post("/{problem_id}/duplicate", response=ProblemOut, summary="Merge into another problem (office)")
def mark_duplicate(request: HttpRequest, problem_id: int, payload: DuplicateIn):
    _require(request.auth, DISPATCH)
    problem = _problem(request, problem_id)
    original = get_scoped_or_404(Problem.objects.all(), request.auth, pk=payload.original_id)
    problem = services.mark_duplicate(
        problem, request.auth, original=original, note=payload.note, version=payload.version, request=request
    )
    return out(problem, request.auth)


@router.post("/{problem_id}/not-applicable", response=ProblemOut, summary="Close as not applicable (office)")
def not_applicable(request: HttpRequest, problem_id: int, payload: ReasonIn):
    _require(request.auth, DISPATCH)
    problem = services.mark_not_applicable(
        _problem(request, problem_id),
        request.auth,
        reason=payload.reason,
        version=payload.version,
        request=request,
    )
    return out(problem, request.auth)
