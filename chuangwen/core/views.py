"""Project-wide pages: health check and the Chinese error pages (no stack trace outside DEBUG)."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from chuangwen.core.errors import NoCampaign
from chuangwen.core.storage import check_storage


def healthz(request: HttpRequest) -> JsonResponse:
    """The database and the file storage (on S3: the bucket exists) both answer. What is wrong
    goes to the log; a load balancer only learns that this process cannot serve (503)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    problem = check_storage()
    if problem:
        logging.getLogger(__name__).error("healthz: file storage: %s", problem)
        return JsonResponse({"status": "error", "storage": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "storage": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, NoCampaign):
        return render(request, "errors/no_campaign.html", status=404)
    return render(request, "errors/404.html", status=404)


def file_missing(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A record whose file the storage no longer has: the same answer for every kind of file."""
    return render(request, "errors/file_missing.html", status=404)


def storage_unavailable(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/503_storage.html", status=503)


# Seconds a client should wait before retrying while the database is away (a restart or a
# failover takes a few seconds; the phone's queue and the load generator honour Retry-After).
DATABASE_RETRY_AFTER = 5


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database cannot be reached (restarting, failing over): the request did not
    happen and may be sent again, which idempotency keys make safe for every write."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": _("The database is temporarily unavailable; please try again in a moment.")},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("errors/503_database.html"), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or 503 when the error is the database being away (found by `chuangwen
    bench faults`: a PostgreSQL restart was answered 500, and when the session could not be
    read the error page itself failed in gunicorn). Rendered without the request: context
    processors read the user's roles from the database, which may be the thing that failed."""
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return database_unavailable(request)
        error = error.__cause__ or error.__context__
    return HttpResponse(render_to_string("errors/500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)
