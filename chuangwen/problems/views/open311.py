"""Open311 GeoReport v2 at /open311/v2/, so existing civic apps and hotline systems can file
and follow problems unchanged: services, services/{code}, requests (GET with the standard
filters, POST with an api_key) and requests/{id}, each as .json or .xml.

Our lifecycle maps to open/closed (closed = closed after verification, duplicate or not
applicable); status_notes carries the closing note; expected_datetime is the deadline;
agency_responsible is the responsible unit; media_url is a signed link to the first photo.
Only problems from public sources (OPEN311_PUBLIC_SOURCES: citizen reports and 12345 by
default) are listed: internal inspection findings are not published. Reporter details never
leave the platform.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.core.geo import PositionError, parse_position
from chuangwen.core.text import normalize_phone
from chuangwen.problems import conf, services
from chuangwen.problems.models import (
    OPEN_STATUSES,
    Channel,
    Open311Client,
    Problem,
    ProblemCategory,
    ProblemPhoto,
    Status,
)

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
MEDIA_SALT = "problems.open311.media"


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _xml(root_tag: str, item_tag: str | None, payload: Any) -> bytes:
    def fill(element: ET.Element, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                child = ET.SubElement(element, key)
                if isinstance(inner, list):
                    singular = key[:-1] if key.endswith("s") else key
                    for entry in inner:
                        fill(ET.SubElement(child, singular), entry)
                else:
                    fill(child, inner)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        elif value is not None:
            element.text = str(value)

    root = ET.Element(root_tag)
    if item_tag is None:
        fill(root, payload)
    else:
        for entry in payload:
            fill(ET.SubElement(root, item_tag), entry)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8")


def _respond(fmt: str, payload: Any, root_tag: str, item_tag: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            _xml(root_tag, item_tag, payload), content_type="text/xml; charset=utf-8", status=status
        )
    body = json.dumps(payload, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8", status=status)


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, [{"code": status, "description": description}], "errors", "error", status=status)


def _handle(view):
    def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            expected = conf.get("OPEN311_JURISDICTION_ID")
            given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
            if expected and given and given != expected:
                raise Open311Error(404, _("jurisdiction_id was not found"))
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc.status, exc.description)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _service(category: ProblemCategory) -> dict[str, Any]:
    group = category.parent.name if category.parent_id else ""
    limit = category.limit_display()
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": "；".join(x for x in (category.close_condition, limit) if x),
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(x for x in (category.get_kind_display(), group) if x),
        "group": group,
    }


def _categories():
    return ProblemCategory.objects.filter(is_active=True, parent__isnull=False).select_related("parent")


@_handle
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return _respond(fmt, [_service(c) for c in _categories()], "services", "service")


@_handle
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = _categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code was not found"))
    return _respond(fmt, {"service_code": category.code, "attributes": []}, "service_definition", None)


def media_url(request: HttpRequest, photo_id: int) -> str:
    token = signing.dumps(photo_id, salt=MEDIA_SALT)
    return request.build_absolute_uri(reverse("open311:media", args=[token]))


def _request(request: HttpRequest, problem: Problem, photos: dict[int, int]) -> dict[str, Any]:
    is_open = problem.status in OPEN_STATUSES
    notes = problem.get_status_display() if is_open else (problem.status_note or problem.get_status_display())
    photo_id = photos.get(problem.pk)
    return {
        "service_request_id": str(problem.pk),
        "status": "open" if is_open else "closed",
        "status_notes": notes,
        "service_name": problem.category.name,
        "service_code": problem.category.code,
        "description": problem.description,
        "agency_responsible": problem.unit.name if problem.unit_id else "",
        "service_notice": "",
        "requested_datetime": _iso(problem.reported_at),
        "updated_datetime": _iso(problem.updated_at),
        "expected_datetime": _iso(problem.deadline),
        "address": problem.address,
        "address_id": "",
        "zipcode": "",
        "lat": problem.lat,
        "long": problem.lng,
        "media_url": media_url(request, photo_id) if photo_id else "",
    }


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


def _date(name: str, raw: str) -> dt.datetime | None:
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise Open311Error(400, _("%(name)s is not a W3C date-time") % {"name": name})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@csrf_exempt
@_handle
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    qs = _published()
    ids = [x.strip() for x in params.get("service_request_id", "").split(",") if x.strip()]
    if ids:
        # With explicit ids the other filters are ignored, as the specification says.
        qs = qs.filter(pk__in=[int(x) for x in ids if x.isdigit()])
    else:
        codes = [x.strip() for x in params.get("service_code", "").split(",") if x.strip()]
        if codes:
            qs = qs.filter(category__code__in=codes)
        start, end = (
            _date("start_date", params.get("start_date", "")),
            _date("end_date", params.get("end_date", "")),
        )
        if start is None and end is None:
            start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
        if start:
            qs = qs.filter(reported_at__gte=start)
        if end:
            qs = qs.filter(reported_at__lte=end)
        statuses = {x.strip() for x in params.get("status", "").split(",") if x.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed"))
        if statuses == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
    problems = list(qs.order_by("-reported_at", "-id")[:MAX_RESULTS])
    photos = _first_photos([p.pk for p in problems])
    return _respond(fmt, [_request(request, p, photos) for p in problems], "service_requests", "request")


@_handle
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    problem = _published().filter(pk=int(request_id)).first() if request_id.isdigit() else None
    if problem is None:
        raise Open311Error(404, _("service_request_id was not found"))
    return _respond(
        fmt, [_request(request, problem, _first_photos([problem.pk]))], "service_requests", "request"
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    client = Open311Client.for_key(data.get("api_key", ""))
    if client is None:
        raise Open311Error(403, _("api_key is missing or not valid"))
    category = _categories().filter(code=data.get("service_code", "")).first()
    if category is None:
        raise Open311Error(400, _("service_code was not found"))
    lat = lng = None
    if data.get("lat") or data.get("long"):
        try:
            lat, lng = parse_position(data.get("lat"), data.get("long"))
        except PositionError as exc:
            raise Open311Error(400, str(exc)) from exc
    address = (data.get("address_string") or "").strip()
    if lat is None and not address:
        raise Open311Error(400, _("lat and long, or address_string, is required"))
    description = (data.get("description") or "").strip() or category.name
    media = (data.get("media_url") or "").strip()
    if media.startswith(("http://", "https://")) and len(media) <= 500:
        # Kept as a link for staff to open; the server never fetches it (no requests to
        # addresses a client chose).
        description = f"{description}\n{media}"
    name = " ".join(x for x in (data.get("last_name", ""), data.get("first_name", "")) if x).strip()
    key = request.headers.get("Idempotency-Key", "")
    try:
        problem = services.report(
            f"open311:{client.name}",
            category=category,
            description=description[:2000],
            source=client.source,
            channel=Channel.OPEN311,
            lat=lat,
            lng=lng,
            address=address,
            reporter_name=name,
            reporter_phone=normalize_phone(data.get("phone", "")) or "",
            # A hotline system may pass its own work-order number as an attribute.
            external_ref=(data.get("attribute[work_order_id]") or "")[:64],
            idempotency_key=f"open311:{client.pk}:{key}" if key else None,
            client=client,
            request=request,
        )
    except DomainError as exc:
        raise Open311Error(400, str(exc)) from exc
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    payload = [
        {
            "service_request_id": str(problem.pk),
            "service_notice": "",
            "account_id": data.get("account_id") or None,
        }
    ]
    return _respond(fmt, payload, "service_requests", "request")


def media(request: HttpRequest, token: str) -> FileResponse:
    """A photo linked as media_url: the display copy (no EXIF), only of published problems."""
    try:
        photo_id = signing.loads(token, salt=MEDIA_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    photo = (
        ProblemPhoto.objects.filter(pk=photo_id, problem__source__in=conf.get("OPEN311_PUBLIC_SOURCES"))
        .exclude(problem__status=Status.NOT_APPLICABLE)
        .first()
    )
    if photo is None:
        raise Http404
    return storage.serve(photo.display, content_type="image/jpeg")
