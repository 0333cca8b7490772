"""Routes of the door-to-door visits. The round belongs to street A and its households to
community A: liaison_b gets 404; duty_a (staff of grid A1) records there."""

from chuangwen.tests.matrix import page
from chuangwen.visits.tests.fixtures import visits_world

READERS = {
    "office": 200,
    "leader": 200,
    "liaison_a": 200,
    "liaison_b": 200,
    "unit_admin_a": 200,
    "duty_a": 200,
}
A_ONLY = {
    "office": 200,
    "leader": 200,
    "liaison_a": 200,
    "unit_admin_a": 200,
    "duty_a": 200,
    "liaison_b": 404,
}
R = lambda w: {"pk": visits_world(w).visit_round.pk}  # noqa: E731
H = lambda w: {"pk": visits_world(w).visit_round.pk, "household": visits_world(w).home_a1.pk}  # noqa: E731

ROUTES = [
    page("visits:index", default=403, **READERS),
    page("visits:stewards", default=403, **READERS),
    page("visits:round_new", default=403, office=200, liaison_a=200, liaison_b=200, unit_admin_a=200),
    page(
        "visits:round_new",
        method="POST",
        data=lambda w: {"name": ""},
        default=403,
        office=400,
        liaison_a=400,
        liaison_b=400,
        unit_admin_a=400,
    ),
    page("visits:round", kwargs=R, default=403, **A_ONLY),
    page("visits:export", kwargs=R, default=403, **A_ONLY),
    page(
        "visits:visit",
        kwargs=H,
        default=403,
        office=200,
        liaison_a=200,
        unit_admin_a=200,
        duty_a=200,
        liaison_b=404,
    ),
    page(
        "visits:to_problem",
        kwargs=lambda w: {"pk": visits_world(w).visit.pk},
        method="POST",
        data=lambda w: {},
        default=403,
        office=302,
        liaison_a=302,
        unit_admin_a=302,
        duty_a=302,
        liaison_b=404,
    ),
    page(
        "visits:photo",
        kwargs=lambda w: {"pk": 999999},
        default=403,
        office=404,
        leader=404,
        liaison_a=404,
        liaison_b=404,
        unit_admin_a=404,
        duty_a=404,
    ),
]
