"""Every meetings page and API route, as each role (see chuangwen/tests/matrix.py).

The matrix meeting invites street A and addresses one action item to it: street A's liaison
and unit admin read it, the sibling liaison gets 404, roles that read no meetings get 403. The
brief (every unit's figures) is the office's and the leaders' paper. The office's writes are
sent invalid (302 back to the page, or 400) or are harmless.
"""

from chuangwen.meetings.tests.factories import matrix_decision, matrix_meeting
from chuangwen.tests.matrix import api, page

M = lambda w: {"pk": matrix_meeting(w).pk}  # noqa: E731
M_API = lambda w: {"meeting_id": matrix_meeting(w).pk}  # noqa: E731
READERS = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 200}
NAMED = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}
WRITE = {"office": 302}

ROUTES = [
    page("meetings:index", default=403, **READERS),
    page("meetings:mine", default=403, **READERS),
    page("meetings:detail", kwargs=M, default=403, **NAMED),
    page(
        "meetings:brief",
        kwargs=lambda w: {**M(w), "fmt": "docx"},
        default=403,
        office=200,
        leader=200,
        liaison_b=404,
    ),
    page("meetings:create", method="POST", default=403, **WRITE),
    page("meetings:invite", kwargs=M, method="POST", default=403, **WRITE),
    page("meetings:attendance", kwargs=M, method="POST", default=403, **WRITE),
    page("meetings:minutes", kwargs=M, method="POST", default=403, **WRITE),
    page("meetings:held", kwargs=M, method="POST", default=403, **WRITE),
    page("meetings:decide", kwargs=M, method="POST", default=403, **WRITE),
    page(
        "meetings:decision_done",
        kwargs=lambda w: {"pk": matrix_decision(w).pk},
        method="POST",
        default=403,
        **WRITE,
    ),
    api("GET", "/api/meetings/", default=403, **READERS),
    api(
        "POST",
        "/api/meetings/",
        data=lambda w: {
            "campaign_id": w.campaign.pk,
            "kind": "dispatch",
            "title": "",
            "held_on": "2026-01-05",
            "chair": "x",
        },
        default=403,
        office=400,
    ),
    api("GET", "/api/meetings/decisions", default=403, **READERS),
    api("GET", "/api/meetings/{meeting_id}", kwargs=M_API, default=403, **NAMED),
    api(
        "POST",
        "/api/meetings/{meeting_id}/decisions",
        kwargs=M_API,
        data=lambda w: {"text": "", "unit_id": w.street_a.pk, "deadline": "2099-01-01", "kind": "action"},
        default=403,
        office=400,
    ),
]
