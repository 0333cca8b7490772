"""How the Open311 endpoint speaks: JSON or XML as the path asks, GeoReport error lists for
every failure (never an HTML page), 405 for methods a resource does not have, CORS headers so
a browser app can read the answers, W3C dates with the specification's 90-day span, and the
attributes each service declares.

The specification's rule for empty fields is followed everywhere: a field with no value is
`null` in JSON and an empty element in XML, never an empty string in one place and a null in
another.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import json
import logging
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from chuangwen.core.text import xml_safe
from chuangwen.problems import conf

logger = logging.getLogger(__name__)

MAX_RESULTS = 1000
MAX_SPAN_DAYS = 90
MAX_DESCRIPTION = 4000  # what the specification allows
MAX_ADDRESS = 200
CORS_HEADERS = "Content-Type, Accept-Language, Idempotency-Key"


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def clean(value: Any) -> Any:
    """The payload with "" as None (the specification's empty field) and text safe for XML 1.0."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, str):
        return xml_safe(value) or None
    return value


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


def respond(fmt: str, payload: Any, root_tag: str, item_tag: str | None, status: int = 200) -> HttpResponse:
    payload = clean(payload)
    if fmt == "xml":
        body = _xml(root_tag, item_tag, payload)
        return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    body = json.dumps(payload, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8", status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, [{"code": status, "description": description}], "errors", "error", status=status)


def fmt_of(path: str) -> str:
    """The format a path asks for: XML for a .xml suffix, JSON otherwise."""
    return "xml" if path.lower().endswith(".xml") else "json"


def _cors(response: HttpResponse, methods: tuple[str, ...]) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
    response["Access-Control-Allow-Headers"] = CORS_HEADERS
    response["Vary"] = "Accept-Language"
    return response


def endpoint(*methods: str) -> Callable:
    """Wrap an Open311 view: allowed methods (others 405), OPTIONS preflight, jurisdiction,
    errors in the asked format and CORS headers on every answer.

    CSRF does not apply: no request here is authenticated by a cookie (POST carries an api_key).
    """
    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, fmt: str = "", **kwargs: Any) -> HttpResponse:
            fmt = fmt or fmt_of(request.path)
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
            elif request.method not in allowed:
                response = error(
                    fmt, 405, _("Method %(method)s is not allowed here.") % {"method": request.method}
                )
                response["Allow"] = ", ".join((*allowed, "OPTIONS"))
            else:
                response = _run(view, request, fmt, kwargs)
            return _cors(response, methods)

        return wrapped

    return decorate


def form(request: HttpRequest) -> QueryDict:
    """The POSTed fields. Django reads form bodies as UTF-8 only; a hotline system in China may
    still send GBK (declared in the charset), which is read as declared. An unknown charset is
    the caller's error, answered in our format."""
    if request.method != "POST":
        return QueryDict()
    if request.content_type == "application/x-www-form-urlencoded":
        charset = request.content_params.get("charset") or "utf-8"
        try:
            codec = codecs.lookup(charset).name
        except LookupError as exc:
            raise Open311Error(
                400, _("The body's charset “%(charset)s” is unknown; send UTF-8.") % {"charset": charset[:40]}
            ) from exc
        if codec != "utf-8":
            return QueryDict(request.body, encoding=codec)
    return request.POST


def _run(view: Callable, request: HttpRequest, fmt: str, kwargs: dict[str, Any]) -> HttpResponse:
    try:
        expected = conf.get("OPEN311_JURISDICTION_ID")
        given = request.GET.get("jurisdiction_id") or form(request).get("jurisdiction_id")
        if expected and given and given != expected:
            raise Open311Error(404, _("jurisdiction_id was not found"))
        return view(request, fmt, **kwargs)
    except Open311Error as exc:
        return error(fmt, exc.status, exc.description)
    except (BadRequest, SuspiciousOperation):
        # A body over the upload limit, too many fields, a malformed multipart body.
        return error(fmt, 400, _("The request body cannot be read (too large or malformed)."))
    except Exception:
        # An integrator's client parses our format whatever happens; the trace goes to the log.
        logger.exception("Open311 %s %s failed", request.method, request.path)
        return error(fmt, 500, _("The server could not answer this request; it has been logged."))


def parse_date(name: str, raw: str) -> dt.datetime | None:
    """A W3C date-time from a query parameter; a 400 error list for anything impossible."""
    if not raw:
        return None
    try:
        value = parse_datetime(raw.strip().replace(" ", "+"))  # "+08:00" arrives as " 08:00"
    except ValueError:  # 2026-13-45, 2026-02-30, T25:00, an offset of +25:00
        value = None
    if value is None:
        raise Open311Error(
            400,
            _("%(name)s “%(value)s” is not a valid W3C date-time (e.g. 2026-01-31T08:00:00+08:00).")
            % {"name": name, "value": raw[:40]},
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def date_span(raw_start: str, raw_end: str) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of a search: the last 90 days by default, one side given = 90 days from it,
    both given = at most 90 days apart (the specification's limit)."""
    start, end = parse_date("start_date", raw_start), parse_date("end_date", raw_end)
    span = dt.timedelta(days=MAX_SPAN_DAYS)
    if start is None and end is None:
        end = timezone.now()
        start = end - span
    elif start is None:
        start = end - span
    elif end is None:
        end = start + span
    if start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    if end - start > span:
        raise Open311Error(
            400, _("start_date and end_date may not span more than %(days)d days.") % {"days": MAX_SPAN_DAYS}
        )
    return start, end


# The attributes every service takes (GeoReport v2 service definition). Which ones a POST must
# carry is the deployment's choice: OPEN311_REQUIRED_ATTRIBUTES.
ATTRIBUTES: tuple[dict[str, Any], ...] = (
    {
        "code": "work_order_id",
        "datatype": "string",
        "description": gettext_lazy("12345 work-order number"),
        "datatype_description": gettext_lazy("At most 64 characters."),
        "max_length": 64,
    },
    {
        "code": "urgency",
        "datatype": "singlevaluelist",
        "description": gettext_lazy("Urgency"),
        "values": (
            ("normal", gettext_lazy("Normal")),
            ("urgent", gettext_lazy("Urgent (half the time limit)")),
            ("immediate", gettext_lazy("Fix at once (立行立改, 24 h)")),
        ),
    },
)


def attribute_definitions() -> list[dict[str, Any]]:
    required = set(conf.get("OPEN311_REQUIRED_ATTRIBUTES"))
    definitions = []
    for order, attribute in enumerate(ATTRIBUTES, start=1):
        entry: dict[str, Any] = {
            "variable": True,
            "code": attribute["code"],
            "datatype": attribute["datatype"],
            "required": attribute["code"] in required,
            "datatype_description": str(attribute.get("datatype_description", "")),
            "order": order,
            "description": str(attribute["description"]),
        }
        if "values" in attribute:
            entry["values"] = [{"key": key, "name": str(name)} for key, name in attribute["values"]]
        definitions.append(entry)
    return definitions


def read_attributes(data: Any) -> dict[str, str]:
    """The posted attribute[code] values, checked against the declarations; 400 otherwise."""
    declared = {a["code"]: a for a in ATTRIBUTES}
    values: dict[str, str] = {}
    for key in data:
        if key.startswith("attribute[") and key.endswith("]"):
            code = key[len("attribute[") : -1]
            if code not in declared:
                raise Open311Error(
                    400, _("attribute[%(code)s] is not declared for this service.") % {"code": code[:40]}
                )
            values[code] = (data.get(key) or "").strip()
    for code in conf.get("OPEN311_REQUIRED_ATTRIBUTES"):
        if not values.get(code):
            raise Open311Error(400, _("attribute[%(code)s] is required.") % {"code": code})
    for code, value in values.items():
        attribute = declared[code]
        if "values" in attribute and value and value not in {k for k, _name in attribute["values"]}:
            raise Open311Error(
                400,
                _("attribute[%(code)s] must be one of %(keys)s.")
                % {"code": code, "keys": ", ".join(k for k, _name in attribute["values"])},
            )
        if len(value) > attribute.get("max_length", 200):
            raise Open311Error(
                400,
                _("attribute[%(code)s] is longer than %(n)d characters.")
                % {"code": code, "n": attribute.get("max_length", 200)},
            )
    return values
