"""Every bulletins page and API route, as each role (see chuangwen/tests/matrix.py).

The matrix bulletin is published and names street A only: street A's liaison and unit admin
read it, the sibling liaison gets 404, roles that read no bulletins get 403. Writes aimed at the
published bulletin are refused by the rules (302 back to the page, or 400), so the walk changes
nothing.
"""

from chuangwen.bulletins.tests.factories import matrix_bulletin
from chuangwen.tests.matrix import api, page

B = lambda w: {"pk": matrix_bulletin(w).pk}  # noqa: E731
B_API = lambda w: {"bulletin_id": matrix_bulletin(w).pk}  # noqa: E731
READERS = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 200}
NAMED = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}
NEW = lambda w: {"campaign_id": w.campaign.pk, "start": "2020-01-01", "end": "2020-01-31"}  # noqa: E731

ROUTES = [
    page("bulletins:archive", default=403, **READERS),
    page("bulletins:detail", kwargs=B, default=403, **NAMED),
    page("bulletins:download", kwargs=lambda w: {**B(w), "fmt": "pdf"}, default=403, **NAMED),
    # Posted empty: the office gets the form back with its errors (400), not an emptied page.
    page("bulletins:create", method="POST", default=403, office=400),
    page("bulletins:edit", kwargs=B, method="POST", default=403, office=302),
    page("bulletins:generate", kwargs=B, method="POST", default=403, office=302),
    page("bulletins:publish", kwargs=B, method="POST", default=403, office=302),
    page("bulletins:discard", kwargs=B, method="POST", default=403, office=302),
    api("GET", "/api/bulletins/", default=403, **READERS),
    api("POST", "/api/bulletins/generate", data=NEW, default=403, office=202),
    api("GET", "/api/bulletins/{bulletin_id}", kwargs=B_API, default=403, **NAMED),
    api(
        "PATCH",
        "/api/bulletins/{bulletin_id}",
        kwargs=B_API,
        data=lambda w: {"lead": "x"},
        default=403,
        office=400,
    ),
    api("POST", "/api/bulletins/{bulletin_id}/generate", kwargs=B_API, default=403, office=400),
    api("DELETE", "/api/bulletins/{bulletin_id}", kwargs=B_API, default=403, office=400),
    api("GET", "/api/bulletins/{bulletin_id}/status", kwargs=B_API, default=403, **NAMED),
    api("POST", "/api/bulletins/{bulletin_id}/publish", kwargs=B_API, default=403, office=400),
    api(
        "GET",
        "/api/bulletins/{bulletin_id}/download/{fmt}",
        kwargs=lambda w: {**B_API(w), "fmt": "docx"},
        default=403,
        **NAMED,
    ),
]
