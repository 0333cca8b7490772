"""Routes of the monthly assessment. The month is the campaign's (published, so units may open it
and see their own rows only); the result, card, summons and unit history are street A's."""

from chuangwen.assessments.tests.fixtures import accountability
from chuangwen.tests.matrix import api, page

READERS = {"office": 200, "leader": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200}
A_ONLY = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}
OFFICE = {"office": 200}
MONTH = lambda w: {"pk": accountability(w).month.pk}  # noqa: E731
MONTH_API = lambda w: {"month_id": accountability(w).month.pk}  # noqa: E731
RESULT = lambda w: {"pk": accountability(w).result_a.pk}  # noqa: E731
SUMMONS = lambda w: {"pk": accountability(w).summons.pk}  # noqa: E731
UNIT = lambda w: {"pk": w.street_a.pk}  # noqa: E731
RULES = lambda w: {  # noqa: E731
    "base_score": "100",
    "rules": [
        {"kind": "overdue", "points": "0.2"},
        {"kind": "rework", "points": "0.2"},
        {"kind": "final_send_back", "points": "0.5"},
        {"kind": "yellow_card", "points": "1"},
        {"kind": "red_card", "points": "2"},
    ],
}
SUMMONS_IN = lambda w: {  # noqa: E731
    "unit_id": w.street_a.pk,
    "held_on": "2026-01-05",
    "summoned": "主任",
    "summoned_by": "创建办",
    "reason": "超期",
    "version": -1,
}

ROUTES = [
    page("assessments:index", default=403, **READERS),
    page("assessments:rules", default=403, **OFFICE),
    page(
        "assessments:compute",
        method="POST",
        default=403,
        data=lambda w: {"month": f"{accountability(w).month.month:%Y-%m}"},
        office=302,
    ),
    page("assessments:month", kwargs=MONTH, default=403, **READERS),
    page("assessments:publish", kwargs=MONTH, method="POST", default=403, office=302),
    page("assessments:export", kwargs=MONTH, default=403, office=200, leader=200),
    page("assessments:result", kwargs=RESULT, default=403, **A_ONLY),
    page("assessments:unit_history", kwargs=UNIT, default=403, **A_ONLY),
    page("assessments:cards", default=403, **READERS),
    page("assessments:card_new", default=403, **OFFICE),
    page("assessments:summonses", default=403, **READERS),
    page("assessments:summons_new", default=403, **OFFICE),
    page("assessments:summons", kwargs=SUMMONS, default=403, **A_ONLY),
    page("assessments:summons_edit", kwargs=SUMMONS, default=403, **OFFICE),
    api("GET", "/api/assessments/rules", default=403, **OFFICE),
    api("PUT", "/api/assessments/rules", default=403, data=RULES, **OFFICE),
    api("GET", "/api/assessments/months", default=403, **READERS),
    # The matrix month is published: recomputing or publishing it again is refused (400).
    api(
        "POST",
        "/api/assessments/months",
        default=403,
        data=lambda w: {"month": f"{accountability(w).month.month:%Y-%m}"},
        office=400,
    ),
    api("GET", "/api/assessments/months/{month_id}/results", kwargs=MONTH_API, default=403, **READERS),
    api("POST", "/api/assessments/months/{month_id}/publish", kwargs=MONTH_API, default=403, office=400),
    api(
        "GET",
        "/api/assessments/results/{result_id}",
        kwargs=lambda w: {"result_id": accountability(w).result_a.pk},
        default=403,
        **A_ONLY,
    ),
    api("GET", "/api/assessments/cards", default=403, **READERS),
    api(
        "POST",
        "/api/assessments/cards",
        default=403,
        data=lambda w: {"unit_id": w.street_a.pk, "color": "yellow", "reason": "负面清单"},
        **OFFICE,
    ),
    api("GET", "/api/assessments/summonses", default=403, **READERS),
    api("POST", "/api/assessments/summonses", default=403, data=SUMMONS_IN, **OFFICE),
    api(
        "PUT",
        "/api/assessments/summonses/{summons_id}",
        kwargs=lambda w: {"summons_id": accountability(w).summons.pk},
        data=SUMMONS_IN,
        default=403,
        office=409,
    ),
    api(
        "GET",
        "/api/assessments/units/{unit_id}/history",
        kwargs=lambda w: {"unit_id": w.street_a.pk},
        default=403,
        **A_ONLY,
    ),
]
