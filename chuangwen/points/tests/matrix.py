from chuangwen.points.models import PointType
from chuangwen.points.tests.fixtures import POINT_LAT, POINT_LNG, field
from chuangwen.tests.matrix import api, page

POINT = lambda w: {"pk": field(w).point.pk}  # noqa: E731
ROSTER = lambda w: {"pk": field(w).roster.pk}  # noqa: E731
SHIFT = lambda w: {"pk": field(w).shift.pk}  # noqa: E731
TYPE = lambda w: {"pk": PointType.objects.get(code="ZCGD").pk}  # noqa: E731
ITEM = lambda w: {"type_pk": TYPE(w)["pk"], "pk": PointType.objects.get(code="ZCGD").items.first().pk}  # noqa: E731
NEAR = lambda w: {"lat": POINT_LAT + 0.0001, "lng": POINT_LNG}  # noqa: E731

OFFICE = {"office": 200}
MANAGERS = {"office": 200, "unit_admin_a": 200}
# Who sees street A's point: its unit's people and the person rostered there (duty_a).
NOT_SEEING_A = {"liaison_b": 404, "inspector": 404, "enumerator_a": 404}
READERS_OF_A = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}

ROUTES = [
    page("points:list"),
    page("points:new", default=403, **MANAGERS),
    page("points:detail", kwargs=POINT, **NOT_SEEING_A),
    page("points:edit", default=403, kwargs=POINT, **MANAGERS),
    page("points:import", default=403, **OFFICE),
    page("points:import_template", default=403, **OFFICE),
    page(
        "points:export", default=403, office=200, leader=200, liaison_a=200, liaison_b=200, unit_admin_a=200
    ),
    page("points:map"),
    page("points:qr_sheet"),
    page("points:types"),
    page("points:type_new", default=403, **OFFICE),
    page("points:type", kwargs=TYPE),
    page("points:type_edit", default=403, kwargs=TYPE, **OFFICE),
    page("points:item_new", default=403, kwargs=lambda w: {"type_pk": TYPE(w)["pk"]}, **OFFICE),
    page("points:item_edit", default=403, kwargs=ITEM, **OFFICE),
    page("points:template_import", default=403, **OFFICE),
    page("points:checklist_import_template", default=403, **OFFICE),
    page("points:template_export"),
    page("points:link_indicators", default=403, method="POST", office=302),
    page("points:my_duty"),
    # Form posts answer with a redirect and a message (JSON for the phone's fetch).
    page("points:check_in", default=302, method="POST", kwargs=SHIFT, data=NEAR, **NOT_SEEING_A),
    page("points:check_out", default=302, method="POST", kwargs=SHIFT, data=NEAR, **NOT_SEEING_A),
    page(
        "points:duty_log_new",
        default=302,
        method="POST",
        kwargs=POINT,
        data=lambda w: {"category": "traffic", "count": 2},
        **NOT_SEEING_A,
    ),
    page("points:duty_photo", kwargs=lambda w: {"pk": field(w).photo.pk}, liaison_b=404, inspector=404),
    page(
        "points:rosters", default=403, office=200, leader=200, liaison_a=200, liaison_b=200, unit_admin_a=200
    ),
    page("points:roster_new", default=403, **MANAGERS),
    page("points:roster", default=403, kwargs=ROSTER, **READERS_OF_A),
    page("points:roster_edit", default=403, kwargs=ROSTER, **MANAGERS),
    page("points:shift_edit", default=403, kwargs=SHIFT, **MANAGERS),
    page("points:duty_record", default=403, kwargs=POINT, **READERS_OF_A),
    page(
        "points:attendance",
        default=403,
        office=200,
        leader=200,
        liaison_a=200,
        liaison_b=200,
        unit_admin_a=200,
    ),
    api("GET", "/api/points/"),
    api("GET", "/api/points/map"),
    api("GET", "/api/points/types"),
    api("GET", "/api/points/shifts/mine"),
    api(
        "POST",
        "/api/points/shifts/{shift_id}/check-in",
        default=400,
        kwargs=lambda w: {"shift_id": field(w).shift.pk},
        data=NEAR,
        duty_a=200,
        **NOT_SEEING_A,
    ),
    api(
        "POST",
        "/api/points/shifts/{shift_id}/check-out",
        default=400,
        kwargs=lambda w: {"shift_id": field(w).shift.pk},
        data=NEAR,
        duty_a=200,
        **NOT_SEEING_A,
    ),
    api("GET", "/api/points/{point_id}", kwargs=lambda w: {"point_id": field(w).point.pk}, **NOT_SEEING_A),
]
