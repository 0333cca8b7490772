"""Every dashboard page and API route, as each role (see chuangwen/tests/matrix.py).

Leaders and the office read the whole campaign, a street's admin and liaison their street's
slice (the one used here is street A's, so liaison_b gets 404); inspectors, duty staff and
enumerators get no dashboard. Recomputing is for the office and leaders.
"""

from chuangwen.dashboard.tests.factories import snapshot_of
from chuangwen.tests.matrix import api, page

NO_DASHBOARD = {"inspector": 403, "duty_a": 403, "enumerator_a": 403}
REFRESHERS_PAGE = {"office": 302, "leader": 302}
REFRESHERS_API = {"office": 202, "leader": 202}
STREET_A = lambda w: {"unit_id": snapshot_of(w, w.street_a).unit_id}  # noqa: E731

ROUTES = [
    page("dashboard:index", **NO_DASHBOARD),
    page("dashboard:screen", **NO_DASHBOARD),
    page("dashboard:refresh", method="POST", default=403, **REFRESHERS_PAGE),
    api("GET", "/api/dashboard/snapshot", data=STREET_A, liaison_b=404, **NO_DASHBOARD),
    api("POST", "/api/dashboard/refresh", default=403, **REFRESHERS_API),
]
