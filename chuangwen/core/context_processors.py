from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict:
    context = {"SITE_NAME": settings.SITE_NAME or _("Civilized City Campaign Platform")}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = _nav_items(request, user)
        context["nav_groups"] = _nav_groups(context["nav_items"])
    return context


def _nav_items(request: HttpRequest, user) -> list[dict]:
    from chuangwen.navigation import NAV  # the project's menu, not an app: core stays app-free

    items = []
    for url_name, label, roles in NAV:
        if roles is not None and not user.has_role(*roles):
            continue
        url = _menu_url(url_name, get_script_prefix(), settings.ROOT_URLCONF)
        if url is None:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "active": active, "name": url_name})
    return items


def _nav_groups(items: list[dict]) -> list[dict]:
    """The menu as shown: top-level links and dropdown groups, in the order they first appear."""
    from chuangwen.navigation import GROUPS

    entries: list[dict] = []
    groups: dict[int, dict] = {}
    for item in items:
        index = next(
            (i for i, (_label, prefixes) in enumerate(GROUPS) if item["name"].startswith(prefixes)), None
        )
        if index is None:
            entries.append({"link": item})
        elif index in groups:
            groups[index]["items"].append(item)
        else:
            groups[index] = {"label": GROUPS[index][0], "items": [item], "key": f"cw-menu-{index}"}
            entries.append({"group": groups[index]})
    for entry in entries:
        group = entry.get("group")
        if group and len(group["items"]) == 1:
            entry["link"], entry["group"] = group["items"][0], None
        elif group:
            group["active"] = any(i["active"] for i in group["items"])
    return entries


@cache
def _menu_url(url_name: str, script_prefix: str, urlconf: str) -> str | None:
    """The menu's URLs never change while the process runs (reversing all of them on every page
    cost half a millisecond); keyed by what reverse() depends on: the script prefix of a
    deployment under a sub-path, and the URLconf (tests swap it)."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None
