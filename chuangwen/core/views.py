"""Project-wide pages: health check and the Chinese error pages (no stack trace outside DEBUG)."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

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


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the DB: the error may be the DB itself.
    return render(request, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)
