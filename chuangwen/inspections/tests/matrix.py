"""Routes of inspections. The round is the office's, carried out by the inspector's team; the
point in it is street A's. The responsible unit reads its results but never records them.

These routes run after the points app's in the matrix test (app order), so the round created
here does not yet exist when points' routes check that the inspector cannot see street A."""

from chuangwen.inspections.tests.fixtures import inspection
from chuangwen.points.tests.fixtures import field
from chuangwen.tests.matrix import api, page

ROUND = lambda w: {"pk": inspection(w).round.pk}  # noqa: E731
RP = lambda w: {"pk": inspection(w).rp.pk}  # noqa: E731
ITEM_1 = lambda w: inspection(w).observation.item_id  # noqa: E731

READERS = {
    "office": 200,
    "leader": 200,
    "liaison_a": 200,
    "liaison_b": 200,
    "unit_admin_a": 200,
    "inspector": 200,
}
ROUND_SEERS = {
    "office": 200,
    "leader": 200,
    "inspector": 200,
    "liaison_a": 404,
    "liaison_b": 404,
    "unit_admin_a": 404,
}
MANAGER_OF_ROUND = {"office": 200, "unit_admin_a": 404}

ROUTES = [
    page("inspections:rounds", default=403, **READERS),
    page("inspections:round_new", default=403, office=200, unit_admin_a=200),
    page("inspections:round", default=403, kwargs=ROUND, **ROUND_SEERS),
    page("inspections:round_edit", default=403, kwargs=ROUND, **MANAGER_OF_ROUND),
    page("inspections:round_draw", default=403, kwargs=ROUND, **MANAGER_OF_ROUND),
    page("inspections:round_add_points", default=403, kwargs=ROUND, **MANAGER_OF_ROUND),
    page("inspections:round_summary", default=403, kwargs=ROUND, **ROUND_SEERS),
    page("inspections:visit", default=403, kwargs=RP, office=200, inspector=200, unit_admin_a=404),
    page(
        "inspections:visit_save",
        default=403,
        method="POST",
        kwargs=RP,
        data=lambda w: {"item": ITEM_1(w), "result": "pass"},
        office=302,
        inspector=302,
        unit_admin_a=404,
    ),
    page("inspections:round_point", kwargs=RP, liaison_b=404, duty_a=404, enumerator_a=404),
    page(
        "inspections:point_history",
        kwargs=lambda w: {"pk": field(w).point.pk},
        liaison_b=404,
        enumerator_a=404,
    ),
    page(
        "inspections:photo",
        kwargs=lambda w: {"pk": inspection(w).photo.pk},
        liaison_b=404,
        duty_a=404,
        enumerator_a=404,
    ),
    # Last: it changes the round (files missing problems; closing would end the visits above).
    page(
        "inspections:round_status",
        default=403,
        method="POST",
        kwargs=ROUND,
        data=lambda w: {"action": "file_problems"},
        office=302,
        unit_admin_a=404,
    ),
    api("GET", "/api/inspections/rounds", default=403, **READERS),
    api(
        "GET",
        "/api/inspections/rounds/{round_id}/summary",
        default=403,
        kwargs=lambda w: {"round_id": inspection(w).round.pk},
        **ROUND_SEERS,
    ),
    api("GET", "/api/inspections/assignments", default=403, office=200, inspector=200, unit_admin_a=200),
    api(
        "POST",
        "/api/inspections/assignments/{assignment_id}/checklist",
        default=403,
        kwargs=lambda w: {"assignment_id": inspection(w).rp.pk},
        data=lambda w: {"items": [{"item_id": ITEM_1(w), "result": "fail", "occurrences": 1}]},
        office=200,
        inspector=200,
        unit_admin_a=404,
    ),
]
