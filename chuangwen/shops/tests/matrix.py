"""Routes of the frontage register. The shop is community A's (below street A), on a road of
street A whose road chief is community A. Writes that would change the shop send nothing
valid, so an allowed role is answered with the page's redirect (or 400/409 on the API)."""

from chuangwen.shops.tests.fixtures import places
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
A_EDIT_POST = {"office": 302, "liaison_a": 302, "unit_admin_a": 302, "duty_a": 302, "liaison_b": 404}
A_EDIT_GET = {"office": 200, "liaison_a": 200, "unit_admin_a": 200, "duty_a": 200, "liaison_b": 404}
A_REPORT = {**A_EDIT_GET, "inspector": 404}
S = lambda w: {"pk": places(w).shop.pk}  # noqa: E731
S_API = lambda w: {"shop_id": places(w).shop.pk}  # noqa: E731

ROUTES = [
    page("shops:list", default=403, **READERS),
    page("shops:new", default=403, **EDITORS),
    page("shops:import", default=403, **EDITORS),
    page("shops:import_template", default=403, **EDITORS),
    page("shops:coverage", default=403, **READERS),
    page("shops:rules", default=403, office=200),
    page("shops:road_line", method="POST", data=lambda w: {}, default=403, office=302),
    page("shops:exposure", default=200, anonymous=200),
    page("shops:walk", kwargs=lambda w: {"pk": places(w).road.pk}, default=403, **A_READERS),
    page("shops:shop", kwargs=S, default=403, **A_READERS),
    page("shops:edit", kwargs=S, default=403, **A_EDIT_GET),
    page("shops:photos", kwargs=S, method="POST", data=lambda w: {}, default=403, **A_EDIT_POST),
    page("shops:pledge", kwargs=S, default=403, **A_READERS),
    page("shops:pledge_sign", kwargs=S, method="POST", data=lambda w: {}, default=403, **A_EDIT_POST),
    page("shops:pledge_scan", kwargs=S, default=403, **A_READERS),
    page("shops:report", kwargs=S, default=403, **A_REPORT),
    page("shops:unexpose", kwargs=S, method="POST", data=lambda w: {"version": -1}, default=403, office=302),
    page("shops:photo", kwargs=lambda w: {"pk": places(w).photo.pk}, default=403, **A_READERS),
    page("shops:notice", kwargs=lambda w: {"pk": places(w).notice.pk}, default=403, **A_READERS),
    api("GET", "/api/shops/shops", default=403, **READERS),
    api(
        "POST",
        "/api/shops/shops",
        data=lambda w: {"name": ""},
        default=403,
        office=400,
        liaison_a=400,
        liaison_b=400,
        unit_admin_a=400,
        duty_a=400,
    ),
    api("GET", "/api/shops/shops/{shop_id}", kwargs=S_API, default=403, **A_READERS),
    api(
        "PUT",
        "/api/shops/shops/{shop_id}",
        kwargs=S_API,
        data=lambda w: {"name": "x", "unit_id": w.community_a.pk, "version": -1},
        default=403,
        office=409,
        liaison_a=409,
        unit_admin_a=409,
        duty_a=409,
        liaison_b=404,
        inspector=404,
    ),
    api(
        "GET",
        "/api/shops/roads/{road_id}/walk",
        kwargs=lambda w: {"road_id": places(w).road.pk},
        default=403,
        **A_READERS,
    ),
    api(
        "POST",
        "/api/shops/shops/{shop_id}/problems",
        kwargs=S_API,
        data=lambda w: {"category_id": 0, "description": "x"},
        default=403,
        office=404,
        liaison_a=404,
        unit_admin_a=404,
        duty_a=404,
        liaison_b=404,
        inspector=404,
        leader=403,
    ),
]
