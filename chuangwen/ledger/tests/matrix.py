"""Every ledger page and API route, as each role (see chuangwen/tests/matrix.py).

Units read their own accounts (street A's people read street A's, the sibling liaison gets 404);
the whole table's export is the office's and the leaders'; the rules and credits the office's.
The credit sent by the matrix is invalid (302 back to the rules page)."""

from chuangwen.tests.matrix import api, page


def matrix_problem(world):
    """A problem of street A, made once per world."""
    from chuangwen.problems.tests.factories import problem_in_street_a

    cached = world.__dict__.get("_ledger_problem")
    if cached is None:
        cached = world.__dict__["_ledger_problem"] = problem_in_street_a(world)
    return cached


A = lambda w: {"pk": w.street_a.pk}  # noqa: E731
READERS = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 200}
OWN = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}

ROUTES = [
    page("ledger:index", default=403, **READERS),
    page("ledger:unit", kwargs=A, default=403, **OWN),
    page("ledger:statement", kwargs=A, default=403, **OWN),
    page("ledger:export", default=403, office=200, leader=200),
    page("ledger:rules", default=403, office=200),
    page("ledger:credit", method="POST", default=403, office=302),
    page("ledger:responsibilities", kwargs=lambda w: {"pk": matrix_problem(w).pk}, default=403, office=200),
    api("GET", "/api/ledger/", default=403, **READERS),
    api(
        "GET", "/api/ledger/units/{unit_id}", kwargs=lambda w: {"unit_id": w.street_a.pk}, default=403, **OWN
    ),
]
