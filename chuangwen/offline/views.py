"""The installable app: the service worker (served from the site root so its scope is the whole
site), the web app manifest, and the list of pages a phone keeps for offline use."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangwen.accounts import devices
from chuangwen.accounts.models import Device, Role
from chuangwen.accounts.permissions import role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.errors import DomainError
from chuangwen.offline import precache


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: the worker's source with its version and the queue script's URL written in.

    Browsers check it for changes on each visit (no-cache); a new version installs beside the
    old one, swaps the page caches and leaves the IndexedDB queue as it is."""
    path = finders.find("js/cw-sw.js")
    with open(path, encoding="utf-8") as fh:
        body = fh.read()
    head = (
        f"var CW_VERSION = {precache.version()!r};\n"
        f"var CW_QUEUE_SCRIPT = {static('js/cw-queue.js')!r};\n"
        f"var CW_PRECACHE_URL = {reverse('offline:precache')!r};\n"
        f"var CW_HOME_URL = {reverse('core:home')!r};\n"
    )
    response = HttpResponse(head + body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """/manifest.webmanifest: installs the site as an app with its Chinese name."""
    name = settings.SITE_NAME or _("Civilized City Campaign Platform")
    data = {
        "name": name,
        "short_name": _("Campaign app"),
        "lang": "zh-CN",
        "start_url": reverse("core:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b02a37",
        "icons": [
            {"src": static("icons/cw-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/cw-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/cw-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def precache_list(request: HttpRequest) -> JsonResponse:
    """The pages and files the worker caches for this person, with the worker's version."""
    response = JsonResponse(
        {
            "version": precache.version(),
            "pages": precache.field_pages(request.user),
            "static": precache.static_urls(),
            "messages": {
                "title": _("Offline"),
                "not_kept": _(
                    "This page was not kept on this phone for offline use. Open the app once with a "
                    "signal to keep today's field pages."
                ),
                "home": _("Back to the home page"),
            },
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def device_ping(request: HttpRequest) -> JsonResponse:
    """The phone says which device it is (header X-CW-Device, read by DeviceMiddleware, which
    records it and refuses a revoked one before this view runs)."""
    return JsonResponse({"ok": True})


@role_required(Role.OFFICE_ADMIN)
def device_list(request: HttpRequest) -> HttpResponse:
    """The office's list of phones used for offline field work, with "revoke" for a lost one."""
    devices = scoped(Device.objects.select_related("user", "unit", "revoked_by"), request.user)
    query = request.GET.get("q", "").strip()[:60]
    if query:
        devices = devices.filter(
            Q(user__username__icontains=query)
            | Q(user__display_name__icontains=query)
            | Q(key__startswith=query)
        )
    page = Paginator(devices, 50).get_page(request.GET.get("page"))
    return render(request, "offline/devices.html", {"page": page, "query": query})


@role_required(Role.OFFICE_ADMIN)
@require_POST
def device_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_scoped_or_404(Device.objects.select_related("user"), request.user, pk=pk)
    try:
        devices.revoke(device, request.user, request=request)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Device of %(user)s revoked: its session has ended.") % {"user": device.user}
        )
    return redirect("offline:devices")
