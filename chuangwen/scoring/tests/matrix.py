"""Routes of scoring. Units read the score and their own lost points; the rules and the office's
inputs are the office's (leaders read them). The indicator is campaign-wide (every unit of the
territory may open it, and sees only its own units' inputs there); the unit is street A."""

from chuangwen.scoring.services import current_config
from chuangwen.scoring.tests.fixtures import negative_event, scored, scored_run
from chuangwen.tests.matrix import api, page

READERS = {"office": 200, "leader": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200}
STREET_A = {"office": 200, "leader": 200, "liaison_a": 200, "liaison_b": 404, "unit_admin_a": 200}
RULES = {"office": 200, "leader": 200}


def _run(w):
    scored_run(w)
    return {}


INDICATOR = lambda w: {"pk": (scored_run(w), scored(w).field.pk)[1]}  # noqa: E731

ROUTES = [
    page("scoring:overview", default=403, kwargs=_run, **READERS),
    page("scoring:tree", default=403, kwargs=_run, **READERS),
    page("scoring:explain", default=403, kwargs=INDICATOR, **READERS),
    page("scoring:league", default=403, kwargs=_run, **READERS),
    page("scoring:unit", default=403, kwargs=lambda w: {"pk": (scored_run(w), w.street_a.pk)[1]}, **STREET_A),
    page("scoring:what_if", default=403, kwargs=_run, **READERS),
    page("scoring:config", default=403, **RULES),
    page(
        "scoring:config_version", default=403, kwargs=lambda w: {"pk": current_config(w.campaign).pk}, **RULES
    ),
    page("scoring:department_list", default=403, kwargs=_run, **RULES),
    page(
        "scoring:department_edit", default=403, kwargs=lambda w: {"pk": scored(w).department.pk}, office=200
    ),
    page("scoring:negative", default=403, kwargs=_run, office=200),
    page("scoring:bonus", default=403, office=200),
    page(
        "scoring:negative_withdraw",
        default=403,
        method="POST",
        kwargs=lambda w: {"pk": negative_event(w).pk},
        office=302,
    ),
    page("scoring:recompute", default=403, method="POST", kwargs=_run, office=302),
    api("GET", "/api/scoring/summary", default=403, kwargs=_run, **READERS),
    api(
        "GET",
        "/api/scoring/indicators/{indicator_id}",
        default=403,
        kwargs=lambda w: {"indicator_id": INDICATOR(w)["pk"]},
        **READERS,
    ),
    api("GET", "/api/scoring/league", default=403, kwargs=_run, **READERS),
    api("GET", "/api/scoring/what-if", default=403, kwargs=_run, **READERS),
    api("GET", "/api/scoring/config", default=403, **RULES),
    api("GET", "/api/scoring/department", default=403, kwargs=_run, **RULES),
    api(
        "PUT",
        "/api/scoring/department/{indicator_id}",
        default=403,
        kwargs=lambda w: {"indicator_id": scored(w).department.pk},
        data=lambda w: {"value": "99"},
        office=200,
    ),
    api(
        "POST",
        "/api/scoring/negative-events",
        default=403,
        data=lambda w: {"item_id": scored(w).negative.pk, "occurred_on": "2026-01-05", "note": "重复照片"},
        office=201,
    ),
    api(
        "POST",
        "/api/scoring/config",
        default=403,
        data=lambda w: {"weights": {"default": {"materials": 40, "field": 40, "survey": 20}}},
        office=201,
    ),
    api("POST", "/api/scoring/recompute", default=403, kwargs=_run, office=200),
]
