"""Routes of the 公益广告 inventory. The placement is community A's, on street A's main road."""

from chuangwen.placements.tests.fixtures import ads
from chuangwen.tests.matrix import api, page

READERS = {
    "office": 200,
    "leader": 200,
    "liaison_a": 200,
    "liaison_b": 200,
    "inspector": 200,
    "unit_admin_a": 200,
    "duty_a": 200,
}
A_READERS = {**READERS, "liaison_b": 404, "inspector": 404}
EDITORS = {"office": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200, "duty_a": 200}
CHECKERS = {"office": 200, "leader": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200}
A_EDIT_GET = {"office": 200, "liaison_a": 200, "unit_admin_a": 200, "duty_a": 200, "liaison_b": 404}
A_POST = {"office": 302, "liaison_a": 302, "unit_admin_a": 302, "duty_a": 302, "liaison_b": 404}
P = lambda w: {"pk": ads(w).placement.pk}  # noqa: E731
P_API = lambda w: {"placement_id": ads(w).placement.pk}  # noqa: E731

ROUTES = [
    page("placements:list", default=403, **READERS),
    page("placements:new", default=403, **EDITORS),
    page("placements:checks", default=403, **CHECKERS),
    page("placements:rules", default=403, office=200),
    page("placements:detail", kwargs=P, default=403, **A_READERS),
    page("placements:edit", kwargs=P, default=403, **A_EDIT_GET),
    # The condition form with a stale version: refused as a conflict, the page redirects.
    page(
        "placements:condition",
        kwargs=P,
        method="POST",
        data=lambda w: {"condition": "good", "version": -1},
        default=403,
        **{**A_POST, "inspector": 404},
    ),
    page("placements:photos", kwargs=P, method="POST", data=lambda w: {}, default=403, **A_POST),
    page("placements:photo", kwargs=lambda w: {"pk": ads(w).photo.pk}, default=403, **A_READERS),
    api("GET", "/api/placements/placements", default=403, **READERS),
    api(
        "POST",
        "/api/placements/placements",
        data=lambda w: {"carrier": "nonsense", "theme": "city", "owner_unit_id": w.community_a.pk},
        default=403,
        office=400,
        liaison_a=400,
        unit_admin_a=400,
        duty_a=400,
        liaison_b=404,
    ),
    api("GET", "/api/placements/placements/{placement_id}", kwargs=P_API, default=403, **A_READERS),
    api(
        "PUT",
        "/api/placements/placements/{placement_id}",
        kwargs=P_API,
        data=lambda w: {
            "carrier": "wall",
            "theme": "city",
            "owner_unit_id": w.community_a.pk,
            "address": "x",
            "version": -1,
        },
        default=403,
        office=409,
        liaison_a=409,
        unit_admin_a=409,
        duty_a=409,
        liaison_b=404,
        inspector=404,
    ),
    api(
        "POST",
        "/api/placements/placements/{placement_id}/condition",
        kwargs=P_API,
        data=lambda w: {"condition": "good", "version": -1},
        default=403,
        office=409,
        liaison_a=409,
        unit_admin_a=409,
        duty_a=409,
        liaison_b=404,
        inspector=404,
    ),
    api("GET", "/api/placements/checks/gaps", default=403, **CHECKERS),
]
