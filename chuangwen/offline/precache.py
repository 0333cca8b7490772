"""What a phone keeps for a day without signal: the field pages the signed-in person uses and
the static files they load. The service worker (static/js/cw-sw.js) fetches this list when the
app is opened with a signal and caches every page that answers 200.

Adding a field page: append its URL in `field_pages` under the role check that opens it (and
load cw-offline.js's queue from its script, see docs/offline.md)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from chuangwen.accounts.permissions import COLLECT_SURVEYS, has_any_role

# The files every field page loads (base.html) and the page scripts of the field pages.
STATIC_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/site.css",
    "css/field.css",
    "css/problems.css",
    "js/site.js",
    "js/cw-queue.js",
    "js/cw-offline.js",
    "js/inspections.js",
    "js/duty.js",
    "js/problems.js",
    "js/surveys.js",
    "icons/cw-192.png",
    "icons/cw-512.png",
)
MAX_VISITS = 300  # open visits cached per person: a day's work is a few dozen


@lru_cache(maxsize=1)
def version() -> str:
    """Changes whenever a static file the phone caches (or the worker itself) changes: the new
    worker then replaces the cached copies. The queue lives in IndexedDB and is never touched."""
    digest = hashlib.sha256(settings.OFFLINE_CACHE_SALT.encode())
    for name in (*STATIC_FILES, "js/cw-sw.js"):
        path = finders.find(name)
        if path:
            with open(path, "rb") as fh:
                digest.update(fh.read())
    return digest.hexdigest()[:12]


def static_urls() -> list[str]:
    return [static(name) for name in STATIC_FILES]


def field_pages(user: Any) -> list[str]:
    """The field pages this person may open, with the pages of today's work in them."""
    from chuangwen.accounts.scope import scoped
    from chuangwen.inspections.models import RoundStatus, TeamAssignment
    from chuangwen.inspections.permissions import INSPECT
    from chuangwen.problems.permissions import REPORT

    pages = [reverse("core:home"), reverse("points:my_duty")]
    if has_any_role(user, INSPECT):
        pages.append(reverse("inspections:rounds"))
        visits = scoped(
            TeamAssignment.objects.filter(round__status=RoundStatus.OPEN).order_by("-round_id", "pk"), user
        ).values_list("pk", flat=True)[:MAX_VISITS]
        pages += [reverse("inspections:visit", args=[pk]) for pk in visits]
    if has_any_role(user, REPORT):
        pages.append(reverse("problems:report"))
    if has_any_role(user, COLLECT_SURVEYS):
        from chuangwen.surveys.models import Round, RoundMode
        from chuangwen.surveys.models import RoundStatus as SurveyStatus

        pages.append(reverse("surveys:mine"))
        rounds = scoped(Round.objects.filter(status=SurveyStatus.OPEN, mode=RoundMode.ENUMERATOR), user)
        pages += [reverse("surveys:collect", args=[pk]) for pk in rounds.values_list("pk", flat=True)[:50]]
    return pages
