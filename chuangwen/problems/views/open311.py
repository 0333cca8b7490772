"""Open311 GeoReport v2 at /open311/v2/, so existing civic apps and hotline systems can file
and follow problems unchanged: services, services/{code}, requests (GET with the standard
filters, POST with an api_key), requests/{id} and tokens/{token}, each as .json or .xml.

Our lifecycle maps to open/closed (closed = closed after verification, duplicate or not
applicable); status_notes carries the closing note; expected_datetime is the deadline;
agency_responsible is the responsible unit; media_url is a signed link to the first photo, or
the link the app posted. Only problems from public sources (OPEN311_PUBLIC_SOURCES: citizen
reports and 12345 by default) are listed: internal inspection findings are not published.
Reporter details never leave the platform. How answers are written (formats, errors, CORS,
dates, attributes) is in open311_format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.core.geo import PositionError, parse_position
from chuangwen.core.text import normalize_phone, xml_safe
from chuangwen.problems import conf, services, territory
from chuangwen.problems.models import (
    OPEN_STATUSES,
    Channel,
    Open311Client,
    Problem,
    ProblemCategory,
    ProblemPhoto,
    Status,
    Urgency,
)
from chuangwen.problems.photos import check as check_photo
from chuangwen.problems.views.open311_format import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_RESULTS,
    Open311Error,
    attribute_definitions,
    date_span,
    endpoint,
    error,
    form,
    read_attributes,
    respond,
)

MEDIA_SALT = "problems.open311.media"
# Ids beyond a 64-bit integer cannot exist; they are simply not found (not a database error).
MAX_ID_DIGITS = 18


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _service(category: ProblemCategory) -> dict[str, Any]:
    group = category.parent.name if category.parent_id else ""
    limit = category.limit_display()
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": "；".join(x for x in (category.close_condition, limit) if x),
        "metadata": bool(attribute_definitions()),
        "type": "realtime",
        "keywords": ",".join(x for x in (category.get_kind_display(), group) if x),
        "group": group,
    }


def _categories():
    return ProblemCategory.objects.filter(is_active=True, parent__isnull=False).select_related("parent")


@endpoint("GET")
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, [_service(c) for c in _categories()], "services", "service")


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = _categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code was not found"))
    payload = {"service_code": category.code, "attributes": attribute_definitions()}
    return respond(fmt, payload, "service_definition", None)


def media_url(request: HttpRequest, photo_id: int) -> str:
    token = signing.dumps(photo_id, salt=MEDIA_SALT)
    return request.build_absolute_uri(reverse("open311:media", args=[token]))


def _request(
    request: HttpRequest, problem: Problem, photos: dict[int, int], extended: bool
) -> dict[str, Any]:
    is_open = problem.status in OPEN_STATUSES
    notes = problem.get_status_display() if is_open else (problem.status_note or problem.get_status_display())
    photo_id = photos.get(problem.pk)
    item = {
        "service_request_id": str(problem.pk),
        "status": "open" if is_open else "closed",
        "status_notes": notes,
        "service_name": problem.category.name,
        "service_code": problem.category.code,
        "description": problem.description,
        "agency_responsible": problem.unit.name if problem.unit_id else None,
        "service_notice": None,
        "requested_datetime": _iso(problem.reported_at),
        "updated_datetime": _iso(problem.updated_at),
        # A deadline set before the problem was filed (an imported order) is no expectation.
        "expected_datetime": _iso(problem.deadline)
        if problem.deadline and problem.deadline >= problem.reported_at
        else None,
        "address": problem.address,
        "address_id": None,
        "zipcode": None,
        "lat": problem.lat,
        "long": problem.lng,
        "media_url": media_url(request, photo_id) if photo_id else problem.media_url,
    }
    if extended:
        # The extension convention (extensions=true) several Open311 servers use for fields
        # the core specification has no place for: here the hotline's work-order number.
        item["extended_attributes"] = {"work_order_id": problem.external_ref}
    return item


def _published():
    return Problem.objects.filter(source__in=conf.get("OPEN311_PUBLIC_SOURCES")).select_related(
        "category", "unit"
    )


def _first_photos(problem_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for photo_id, problem_id in (
        ProblemPhoto.objects.filter(problem_id__in=problem_ids).order_by("id").values_list("id", "problem_id")
    ):
        found.setdefault(problem_id, photo_id)
    return found


def _answer(request: HttpRequest, fmt: str, problems: list[Problem]) -> HttpResponse:
    extended = request.GET.get("extensions", "").lower() == "true"
    photos = _first_photos([p.pk for p in problems])
    items = [_request(request, p, photos, extended) for p in problems]
    return respond(fmt, items, "service_requests", "request")


def _ids(raw: str) -> list[int]:
    ids = []
    for part in (x.strip() for x in raw.split(",") if x.strip()):
        if not part.isdigit():
            raise Open311Error(
                400, _("service_request_id “%(id)s” is not a number.") % {"id": part[: MAX_ID_DIGITS + 2]}
            )
        if len(part) <= MAX_ID_DIGITS:
            ids.append(int(part))
    return ids


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    qs = _published()
    if params.get("service_request_id", "").strip():
        # With explicit ids the other filters are ignored, as the specification says.
        qs = qs.filter(pk__in=_ids(params["service_request_id"]))
    else:
        codes = [x.strip() for x in params.get("service_code", "").split(",") if x.strip()]
        if codes:
            qs = qs.filter(category__code__in=codes)
        start, end = date_span(params.get("start_date", ""), params.get("end_date", ""))
        qs = qs.filter(reported_at__gte=start, reported_at__lte=end)
        statuses = {x.strip() for x in params.get("status", "").split(",") if x.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed"))
        if statuses == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
    return _answer(request, fmt, list(qs.order_by("-reported_at", "-id")[:MAX_RESULTS]))


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    problem = _published().filter(pk=int(request_id)).first() if len(request_id) <= MAX_ID_DIGITS else None
    if problem is None:
        raise Open311Error(404, _("service_request_id was not found"))
    return _answer(request, fmt, [problem])


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """GET tokens/{token}: the service_request_id a POST's token stands for."""
    problem_id = (
        Problem.objects.filter(public_token=token, channel=Channel.OPEN311)
        .values_list("pk", flat=True)
        .first()
    )
    if problem_id is None:
        raise Open311Error(404, _("token was not found"))
    return respond(
        fmt, [{"service_request_id": str(problem_id), "token": token}], "service_requests", "request"
    )


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def not_found(request: HttpRequest, fmt: str = "", **kwargs: Any) -> HttpResponse:
    """Any other path under /open311/v2/ (requests/abc.json, a format we do not speak)."""
    raise Open311Error(404, _("There is no such Open311 resource."))


def _location(data: Any) -> tuple[float | None, float | None]:
    if not (data.get("lat") or data.get("long")):
        return None, None
    try:
        lat, lng = parse_position(data.get("lat"), data.get("long"))
        territory.check_inside(lat, lng)
    except PositionError as exc:
        raise Open311Error(400, str(exc)) from exc
    return lat, lng


def _text(data: Any, name: str, limit: int) -> str:
    value = xml_safe((data.get(name) or "").strip())
    if len(value) > limit:
        raise Open311Error(
            400,
            _("%(name)s has %(n)d characters; at most %(limit)d are accepted.")
            % {"name": name, "n": len(value), "limit": limit},
        )
    return value


def _contact(data: Any) -> dict[str, str]:
    email = _text(data, "email", 254)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Open311Error(
                400, _("email “%(email)s” is not an email address.") % {"email": email}
            ) from exc
    phone = _text(data, "phone", 30)
    first, last = _text(data, "first_name", 30), _text(data, "last_name", 30)
    return {
        "reporter_name": " ".join(x for x in (last, first) if x),
        # An app abroad may send +1 …: kept as written when it is no mainland number.
        "reporter_phone": normalize_phone(phone) or phone[:20],
        "reporter_email": email,
        "reporter_device": _text(data, "device_id", 100),
    }


def _media(request: HttpRequest, data: Any) -> tuple[str, list[Any]]:
    link = _text(data, "media_url", 500)
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError as exc:
            raise Open311Error(400, _("media_url must be an http or https address.")) from exc
    upload = request.FILES.get("media") if request.content_type == "multipart/form-data" else None
    try:
        # The same content checks as every problem photo (magic bytes, a full decode, size, pixels).
        photos = [check_photo(upload)] if upload else []
    except DomainError as exc:
        raise Open311Error(400, str(exc)) from exc
    return link, photos


def _retry_of(client: Open311Client, category: ProblemCategory, fields: dict[str, Any]) -> Problem | None:
    """The request this POST repeats: same key, service, location and description, filed within
    OPEN311_RETRY_MINUTES (an app resending after a lost answer, with no Idempotency-Key)."""
    since = timezone.now() - dt.timedelta(minutes=conf.get("OPEN311_RETRY_MINUTES"))
    return (
        Problem.objects.filter(client=client, category=category, reported_at__gte=since, **fields)
        .order_by("id")
        .first()
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = form(request)
    client = Open311Client.for_key(data.get("api_key", ""))
    if client is None:
        raise Open311Error(403, _("api_key is missing or not valid"))
    category = _categories().filter(code=data.get("service_code", "")).first()
    if category is None:
        raise Open311Error(400, _("service_code was not found"))
    attributes = read_attributes(data)
    lat, lng = _location(data)
    address = _text(data, "address_string", MAX_ADDRESS)
    if lat is None and not address:
        raise Open311Error(400, _("lat and long, or address_string, is required"))
    description = _text(data, "description", MAX_DESCRIPTION) or category.name
    link, photos = _media(request, data)
    contact = _contact(data)
    key = request.headers.get("Idempotency-Key", "").strip()
    problem = None
    if not key:
        same = {"lat": lat, "lng": lng, "address": address, "description": description}
        problem = _retry_of(client, category, same)
    if problem is None:
        try:
            problem = services.report(
                f"open311:{client.name}",
                category=category,
                description=description,
                source=client.source,
                channel=Channel.OPEN311,
                lat=lat,
                lng=lng,
                address=address,
                urgency=attributes.get("urgency") or Urgency.NORMAL,
                media_url=link,
                photos=photos,
                external_ref=attributes.get("work_order_id", ""),
                idempotency_key=f"open311:{client.pk}:{key}" if key else None,
                client=client,
                request=request,
                **contact,
            )
        except DomainError as exc:
            raise Open311Error(400, str(exc)) from exc
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    payload = [
        {
            "service_request_id": str(problem.pk),
            "token": problem.public_token,
            "service_notice": None,
            "account_id": data.get("account_id") or None,
        }
    ]
    return respond(fmt, payload, "service_requests", "request")


def media(request: HttpRequest, token: str) -> HttpResponse:
    """A photo linked as media_url: the display copy (no EXIF), only of published problems."""
    try:
        photo_id = signing.loads(token, salt=MEDIA_SALT)
    except signing.BadSignature:
        return error("json", 404, _("There is no such photo."))
    photo = (
        ProblemPhoto.objects.filter(pk=photo_id, problem__source__in=conf.get("OPEN311_PUBLIC_SOURCES"))
        .exclude(problem__status=Status.NOT_APPLICABLE)
        .first()
    )
    if photo is None:
        return error("json", 404, _("There is no such photo."))
    try:
        return storage.serve(photo.display, content_type="image/jpeg")
    except storage.FileMissing:
        return error("json", 404, _("There is no such photo."))
    except storage.StorageUnavailable as exc:
        return error("json", 503, str(exc))
