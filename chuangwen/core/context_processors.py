from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict:
    context = {"SITE_NAME": settings.SITE_NAME or _("Civilized City Campaign Platform")}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = _nav_items(request, user)
    return context


def _nav_items(request: HttpRequest, user) -> list[dict]:
    from chuangwen.navigation import NAV  # the project's menu, not an app: core stays app-free

    items = []
    for url_name, label, roles in NAV:
        if roles is not None and not user.has_role(*roles):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return items
