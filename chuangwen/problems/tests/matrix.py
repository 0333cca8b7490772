"""Every problems page and API route, as each role (see chuangwen/tests/matrix.py).

The matrix problem belongs to street A and was filed by the inspector (so the inspection team
verifies it). Writes carry version -1: a role allowed to act gets the conflict answer (302 back
to the page, or 409), so the walk never changes the problem.
"""

from chuangwen.problems import services
from chuangwen.problems.models import Source
from chuangwen.problems.tests.factories import (
    category,
    matrix_notice,
    matrix_photo,
    matrix_problem,
    public_problem,
)
from chuangwen.tests.matrix import api, page

P = lambda w: {"pk": matrix_problem(w).pk}  # noqa: E731
P_API = lambda w: {"problem_id": matrix_problem(w).pk}  # noqa: E731
HIDDEN = {"liaison_b": 404, "duty_a": 404, "enumerator_a": 404}  # outside street A and the team
REPORTERS = {"leader": 403}
RATES = {"duty_a": 403, "enumerator_a": 403}
OFFICE = {"office": 200}
HANDLERS_PAGE = {"office": 302, "liaison_a": 302, "unit_admin_a": 302, "liaison_b": 404, "duty_a": 404}
HANDLERS_API = {"office": 409, "liaison_a": 409, "unit_admin_a": 409, "liaison_b": 404, "duty_a": 404}
STALE = lambda w: {"version": -1}  # noqa: E731
PUBLIC = {"anonymous": 200}
JSON = lambda **extra: lambda w: {"fmt": "json", **extra}  # noqa: E731

ROUTES = [
    page("problems:list"),
    page("problems:inbox"),
    page("problems:report", **REPORTERS),
    page("problems:nearby", **REPORTERS),
    page("problems:detail", kwargs=P, **HIDDEN),
    page(
        "problems:action",
        kwargs=lambda w: {**P(w), "name": "accept"},
        method="POST",
        data=STALE,
        default=403,
        **HANDLERS_PAGE,
    ),
    page(
        "problems:action",
        kwargs=lambda w: {**P(w), "name": "verify"},
        method="POST",
        data=lambda w: {"version": -1, "passed": "1"},
        default=403,
        office=302,
        inspector=302,
    ),
    page(
        "problems:action",
        kwargs=lambda w: {**P(w), "name": "dispatch"},
        method="POST",
        data=lambda w: {"version": -1, "unit": w.street_b.pk},
        default=403,
        office=302,
    ),
    page("problems:photo", kwargs=lambda w: {"pk": matrix_photo(w).pk, "variant": "display"}, **HIDDEN),
    page("problems:console", default=403, **OFFICE),
    page("problems:bulk_dispatch", method="POST", default=403, office=302),
    page("problems:calendar", default=403, **OFFICE),
    page("problems:calendar_delete", kwargs=lambda w: {"pk": 999999}, method="POST", default=403, office=302),
    page("problems:rates", **RATES),
    page("problems:rate_basis", method="POST", data=lambda w: {"basis": "due"}, default=403, office=302),
    page("problems:overdue", **RATES),
    page("problems:escalations", **RATES),
    page(
        "problems:notice_docx",
        kwargs=lambda w: {"pk": matrix_notice(w).pk},
        inspector=404,
        liaison_b=404,
        **RATES,
    ),
    page("problems:ledger_xlsx", default=403, office=200, leader=200, unit_admin_a=200),
    page("problems:list_docx", default=403, office=200, leader=200, unit_admin_a=200),
    page("problems:hotline_import", default=403, **OFFICE),
    page("problems:hotline_import_template", default=403, **OFFICE),
    page("problems:hotline_export", default=403, **OFFICE),
    # The public 随手拍 page and the follow-status link need no account.
    page("citizen:report", **PUBLIC),
    page("citizen:status", kwargs=lambda w: {"token": public_problem(w).public_token}, **PUBLIC),
    # Open311 GeoReport v2 is public; writing needs an api_key.
    page("open311:services", kwargs=JSON(), **PUBLIC),
    page("open311:service", kwargs=lambda w: {"fmt": "xml", "code": category().code}, **PUBLIC),
    page("open311:requests", kwargs=JSON(), **PUBLIC),
    page("open311:requests", kwargs=JSON(), method="POST", default=403, anonymous=403),
    page("open311:request", kwargs=lambda w: {"fmt": "json", "request_id": public_problem(w).pk}, **PUBLIC),
    page("open311:media", kwargs=lambda w: {"token": _media_token(w)}, **PUBLIC),
    page("open311:token", kwargs=lambda w: {"fmt": "json", "token": _open311_token(w)}, **PUBLIC),
    # Every other path under /open311/v2/ answers a GeoReport error list, for everybody.
    page("open311:not_found", default=404, anonymous=404),
    api("GET", "/api/problems/categories"),
    api("GET", "/api/problems/"),
    api(
        "POST",
        "/api/problems/",
        data=lambda w: {"category_id": 0, "description": "x"},
        default=400,
        **REPORTERS,
    ),
    api("GET", "/api/problems/inbox"),
    api(
        "GET",
        "/api/problems/nearby",
        data=lambda w: {"category_id": category().pk, "lat": 30, "lng": 120},
        **REPORTERS,
    ),
    api("GET", "/api/problems/rates", **RATES),
    api("GET", "/api/problems/{problem_id}", kwargs=P_API, **HIDDEN),
    api("GET", "/api/problems/{problem_id}/events", kwargs=P_API, **HIDDEN),
    # Multipart only: a JSON body is refused by validation before any access decision.
    api("POST", "/api/problems/{problem_id}/photos", kwargs=P_API, default=422),
    api(
        "POST",
        "/api/problems/{problem_id}/dispatch",
        kwargs=P_API,
        data=lambda w: {"version": -1, "unit_id": w.street_b.pk},
        default=403,
        office=409,
    ),
    api("POST", "/api/problems/{problem_id}/accept", kwargs=P_API, data=STALE, default=403, **HANDLERS_API),
    api(
        "POST",
        "/api/problems/{problem_id}/return",
        kwargs=P_API,
        data=lambda w: {"version": -1, "reason": "x"},
        default=403,
        **HANDLERS_API,
    ),
    api("POST", "/api/problems/{problem_id}/start", kwargs=P_API, data=STALE, default=403, **HANDLERS_API),
    api(
        "POST",
        "/api/problems/{problem_id}/submit",
        kwargs=P_API,
        data=lambda w: {"version": -1, "measures": "x"},
        default=403,
        **HANDLERS_API,
    ),
    api(
        "POST",
        "/api/problems/{problem_id}/verify",
        kwargs=P_API,
        data=lambda w: {"version": -1, "passed": True},
        default=403,
        office=409,
        inspector=409,
    ),
    api(
        "POST",
        "/api/problems/{problem_id}/extension",
        kwargs=P_API,
        data=lambda w: {"version": -1, "until": "2099-01-01T08:00:00+08:00", "reason": "x"},
        default=403,
        **HANDLERS_API,
    ),
    api(
        "POST",
        "/api/problems/{problem_id}/extension/decide",
        kwargs=P_API,
        data=lambda w: {"version": -1, "approve": True},
        default=403,
        office=409,
    ),
    api(
        "POST",
        "/api/problems/{problem_id}/duplicate",
        kwargs=P_API,
        data=lambda w: {"version": -1, "original_id": public_problem(w).pk},
        default=403,
        office=409,
    ),
    api(
        "POST",
        "/api/problems/{problem_id}/not-applicable",
        kwargs=P_API,
        data=lambda w: {"version": -1, "reason": "x"},
        default=403,
        office=409,
    ),
]


def _media_token(world):
    from django.core import signing

    from chuangwen.problems.views.open311 import MEDIA_SALT

    return signing.dumps(public_problem(world).photos.first().pk, salt=MEDIA_SALT)


def _open311_token(world):
    """The token an Open311 POST answered (the problem is filed once per world)."""
    from chuangwen.problems.models import Channel, Problem

    problem = Problem.objects.filter(channel=Channel.OPEN311).first()
    if problem is None:
        problem = services.report(
            "open311:matrix",
            category=category(),
            description="Open311 矩阵",
            source=Source.CITIZEN,
            channel=Channel.OPEN311,
            address="松林路",
        )
    return problem.public_token
