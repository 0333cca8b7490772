"""Response headers every page gets (a strict Content-Security-Policy: all assets are local), and
out-of-range numbers answered as the caller's error."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Everything is served from this origin; inline scripts are not allowed. Map tiles may come
# from the configured tile server, so its origin is added to img-src.
_BASE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: {tiles}; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


def _tile_origin() -> str:
    url = getattr(settings, "MAP_TILE_URL", "")
    if not url or "://" not in url:
        return ""
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = _BASE_CSP.format(tiles=_tile_origin()).replace("  ", " ")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The OpenAPI docs page (Swagger UI) runs an inline bootstrap script: relax only there.
        if not request.path.startswith("/api/docs"):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self)")
        return response


class OutOfRangeMiddleware:
    """A page asked for a number no column can hold (a foreign-key filter such as the material
    ledger's given 30 digits) fails in the database driver (OverflowError on SQLite, DataError
    on PostgreSQL): answer 400 with the Chinese error page, not 500, and log it as a warning so
    that a DataError of our own making still shows. The API maps the same errors itself
    (chuangwen.api)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import DataError

        from chuangwen.core.views import bad_request

        if isinstance(exception, OverflowError | DataError):
            logging.getLogger(__name__).warning("%s: out of range: %s", request.path, exception)
            return bad_request(request, exception)
        return None


# The most files any route takes in one request (a material filing) and its form fields.
MAX_FILES_PER_REQUEST = 30
FORM_FIELDS_BYTES = 64 * 1024


def default_body_limit() -> int:
    """The largest body a view without its own `max_body` accepts: every file at the cap."""
    return MAX_FILES_PER_REQUEST * settings.UPLOAD_MAX_BYTES + FORM_FIELDS_BYTES


def max_body(limit: int | Callable[[], int]) -> Callable:
    """Decorate a view (outermost) with the largest request body it accepts, in bytes (or a
    function giving it, for limits read from settings); BodyLimitMiddleware enforces it."""

    def decorate(view: Callable) -> Callable:
        view.max_body_bytes = limit  # type: ignore[attr-defined]
        return view

    return decorate


class BodyLimitMiddleware:
    """Refuses, from its Content-Length alone, a request larger than its view accepts (see
    max_body): before anything reads the body. It sits before the CSRF check, which reads a form's
    fields and so would spool every uploaded file to disk first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, args: tuple, kwargs: dict
    ) -> HttpResponse | None:
        # A view that names no limit of its own still gets one: without it a multi-gigabyte
        # upload to any form or API route is spooled to disk whole before the view can refuse it.
        limit = getattr(view_func, "max_body_bytes", None) or default_body_limit
        limit = limit() if callable(limit) else limit
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = limit + 1
        if length <= limit:
            return None
        from django.shortcuts import render

        megabytes = max(1, limit // 1024 // 1024)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse
            from django.utils.translation import gettext

            return JsonResponse(
                {
                    "detail": gettext(
                        "The upload is too large: at most %(limit_mb)s MB in one request. Send fewer or smaller files."
                    )
                    % {"limit_mb": megabytes}
                },
                status=413,
            )
        return render(request, "errors/413.html", {"limit_mb": megabytes}, status=413)


class StorageErrorMiddleware:
    """A file storage that fails is not the server's bug: answer 503 with the Chinese message
    (the endpoint's address and the backend's words go to the log only), and a record whose file
    is gone a 404 that says so. Pages with a form catch StorageUnavailable themselves to show
    the message beside what the user typed; this is the net for everything else. The API maps
    the same errors itself (chuangwen.api)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from chuangwen.core import storage
        from chuangwen.core.views import file_missing, storage_unavailable

        if isinstance(exception, storage.FileMissing):
            return file_missing(request, exception)
        if isinstance(exception, storage.StorageUnavailable):
            return storage_unavailable(request, exception)
        if storage.is_storage_error(exception) and not isinstance(exception, OSError):
            # botocore's own errors, raised by a write not (yet) going through core.storage.
            logging.getLogger(__name__).error("%s: storage failed: %r", request.path, exception)
            return storage_unavailable(request, exception)
        return None
