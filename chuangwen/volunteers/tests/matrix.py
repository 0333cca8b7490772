"""Routes of volunteers. Objects belong to community A (below street A): the sibling liaison
(liaison_b) gets 404. Writes that would move data carry an invalid body, so the walk leaves the
world as it found it where possible."""

from chuangwen.tests.matrix import api, page
from chuangwen.volunteers.tests.fixtures import volunteer_world

READERS = {"office": 200, "leader": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200}
A_ONLY = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}
MANAGERS = {"office": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200}
A_MANAGERS = {"office": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}
V = lambda w: {"pk": volunteer_world(w).volunteer.pk}  # noqa: E731
A = lambda w: {"pk": volunteer_world(w).activity.pk}  # noqa: E731
T = lambda w: {"pk": volunteer_world(w).team.pk}  # noqa: E731
REC = lambda w: {"pk": volunteer_world(w).record.pk}  # noqa: E731
PUBLIC = {"anonymous": 200}

ROUTES = [
    page("volunteers:index", default=403, **READERS),
    page(
        "volunteers:population",
        kwargs=lambda w: {"unit_id": w.community_a.pk},
        method="POST",
        data=lambda w: {"population": ""},
        default=403,
        office=302,
    ),
    page("volunteers:roster", default=403, **READERS),
    page("volunteers:volunteer_new", default=403, **MANAGERS),
    page("volunteers:import", default=403, **MANAGERS),
    page("volunteers:import_template", default=403, **MANAGERS),
    page("volunteers:volunteer", kwargs=V, default=403, **A_ONLY),
    page("volunteers:volunteer_edit", kwargs=V, default=403, **A_MANAGERS),
    page("volunteers:certificate", kwargs=V, default=403, **A_ONLY),
    page("volunteers:teams", default=403, **READERS),
    page("volunteers:team_new", default=403, **MANAGERS),
    page("volunteers:team_edit", kwargs=T, default=403, **A_MANAGERS),
    page("volunteers:activities", default=403, **READERS),
    page("volunteers:activity_new", default=403, **MANAGERS),
    page("volunteers:activity", kwargs=A, default=403, **A_ONLY),
    page("volunteers:activity_edit", kwargs=A, default=403, **A_MANAGERS),
    page("volunteers:activity_sheet", kwargs=A, default=403, **A_ONLY),
    page("volunteers:activity_file", kwargs=A, default=403, **A_MANAGERS),
    page(
        "volunteers:activity_action",
        kwargs=A,
        method="POST",
        data=lambda w: {"action": "nothing"},
        default=403,
        office=302,
        liaison_a=302,
        unit_admin_a=302,
        liaison_b=404,
    ),
    page(
        "volunteers:record_confirm",
        kwargs=REC,
        method="POST",
        data=lambda w: {"hours": "not a number"},
        default=403,
        office=302,
        liaison_a=302,
        unit_admin_a=302,
        liaison_b=404,
    ),
    page("volunteers:commendations", default=403, **READERS),
    page(
        "volunteers:commendation_nominate",
        method="POST",
        data=lambda w: {"year": "2026"},
        default=403,
        office=302,
        liaison_a=302,
        liaison_b=302,
        unit_admin_a=302,
    ),
    page(
        "volunteers:commendation_review",
        kwargs=lambda w: {"pk": volunteer_world(w).commendation.pk},
        method="POST",
        data=lambda w: {"status": "stale", "action": "approve"},
        default=403,
        office=302,
    ),
    page(
        "volunteers:commendation_publish",
        method="POST",
        data=lambda w: {"year": "1999"},
        default=403,
        office=302,
    ),
    page(
        "volunteers:sign",
        kwargs=lambda w: {"token": volunteer_world(w).activity.token},
        default=200,
        **PUBLIC,
    ),
    api(
        "GET",
        "/api/volunteers/units/{unit_id}/figures",
        kwargs=lambda w: {"unit_id": w.community_a.pk},
        default=403,
        **A_ONLY,
    ),
    api("GET", "/api/volunteers/volunteers", default=403, **READERS),
    api(
        "GET",
        "/api/volunteers/volunteers/{volunteer_id}/hours",
        kwargs=lambda w: {"volunteer_id": volunteer_world(w).volunteer.pk},
        default=403,
        **A_ONLY,
    ),
    api("GET", "/api/volunteers/activities", default=403, **READERS),
    api(
        "POST",
        "/api/volunteers/records/{record_id}/confirm",
        kwargs=lambda w: {"record_id": volunteer_world(w).record.pk},
        data=lambda w: {"hours": "99"},
        default=403,
        office=400,
        liaison_a=400,
        unit_admin_a=400,
        liaison_b=404,
    ),
]
