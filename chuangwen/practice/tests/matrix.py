"""Routes of the practice ledgers. The station belongs to community A: liaison_b gets 404."""

from chuangwen.practice.tests.fixtures import practice_world
from chuangwen.tests.matrix import page

READERS = {
    "office": 200,
    "leader": 200,
    "liaison_a": 200,
    "liaison_b": 200,
    "unit_admin_a": 200,
    "inspector": 200,
}
A_ONLY = {
    "office": 200,
    "leader": 200,
    "liaison_a": 200,
    "unit_admin_a": 200,
    "inspector": 404,  # the inspection team's scope does not reach community A
    "liaison_b": 404,
}
P = lambda w: {"pk": practice_world(w).station.pk}  # noqa: E731

ROUTES = [
    page("practice:index", default=403, **READERS),
    page("practice:point", kwargs=P, default=403, **A_ONLY),
    page("practice:export", kwargs=P, default=403, **A_ONLY),
    page(
        "practice:standards",
        kwargs=P,
        method="POST",
        data=lambda w: {"note_place": "x" * 300},
        default=403,
        office=302,
        liaison_a=302,
        unit_admin_a=302,
        liaison_b=404,
    ),
    page(
        "practice:photo",
        kwargs=lambda w: {"pk": 999999},
        default=403,
        office=404,
        leader=404,
        liaison_a=404,
        liaison_b=404,
        unit_admin_a=404,
        inspector=404,
    ),
]
