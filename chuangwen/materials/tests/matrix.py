from chuangwen.materials.tests.factories import materials_of
from chuangwen.tests.matrix import api, page

REQUIREMENT = lambda w: {"pk": materials_of(w).requirement.pk}  # noqa: E731
SUBMISSION = lambda w: {"pk": materials_of(w).submission.pk}  # noqa: E731
# Street A's material: the sibling street, and units below or outside A, get 404.
HIDDEN = {"liaison_b": 404, "inspector": 404, "duty_a": 404, "enumerator_a": 404}
SEES_A = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200}
OFFICE = {"office": 200}
EXPORTERS = {"office": 200, "leader": 200, "unit_admin_a": 200}

ROUTES = [
    page("materials:due"),
    page("materials:requirements"),
    page("materials:queue"),
    page("materials:coverage"),
    page("materials:requirement", kwargs=REQUIREMENT, **HIDDEN),
    page("materials:requirement_edit", default=403, kwargs=REQUIREMENT, **OFFICE),
    page(
        "materials:requirement_new",
        default=403,
        kwargs=lambda w: {"task_pk": materials_of(w).requirement.task_id},
        **OFFICE,
    ),
    page("materials:policy", default=403, **OFFICE),
    # Filing is for the unit's liaison and admin; the sibling street does not see the requirement.
    page(
        "materials:submit",
        default=403,
        kwargs=lambda w: {"requirement_pk": materials_of(w).requirement.pk},
        liaison_a=200,
        unit_admin_a=200,
        liaison_b=404,
    ),
    page("materials:submission", kwargs=SUBMISSION, **HIDDEN),
    # Only a sent-back latest version can be revised: the others go back to the detail page.
    page(
        "materials:resubmit", default=403, kwargs=SUBMISSION, liaison_a=302, unit_admin_a=302, liaison_b=404
    ),
    page(
        "materials:photo",
        default=404,
        kwargs=lambda w: {"pk": materials_of(w).photo.pk, "variant": "display"},
        **SEES_A,
    ),
    page("materials:document", default=404, kwargs=lambda w: {"pk": materials_of(w).document.pk}, **SEES_A),
    page("materials:ledger", default=403, **EXPORTERS),
    page("materials:archive", default=403, **EXPORTERS),
    api("GET", "/api/materials/requirements"),
    api(
        "GET",
        "/api/materials/requirements/{requirement_id}",
        kwargs=lambda w: {"requirement_id": materials_of(w).requirement.pk},
        **HIDDEN,
    ),
    api(
        "POST",
        "/api/materials/requirements/parse",
        default=403,
        data=lambda w: {"text": "说明报告800字"},
        **OFFICE,
    ),
    api("GET", "/api/materials/submissions"),
    api(
        "GET",
        "/api/materials/submissions/{submission_id}",
        kwargs=lambda w: {"submission_id": materials_of(w).submission.pk},
        **HIDDEN,
    ),
    api("GET", "/api/materials/queue"),
    api("GET", "/api/materials/coverage"),
    api("GET", "/api/materials/due"),
    # A JSON body is no upload: every signed-in caller gets 422 (uploads are tested in test_api).
    api("POST", "/api/materials/submissions", default=422),
    # Last, because they change state. 初审 belongs to street A's unit admin; the office,
    # leader and the liaison who filed it may not act at that level.
    api(
        "POST",
        "/api/materials/submissions/{submission_id}/review",
        default=403,
        kwargs=lambda w: {"submission_id": materials_of(w).api_submission.pk},
        data=lambda w: {"decision": "approve", "revision": 1},
        unit_admin_a=200,
        **HIDDEN,
    ),
    page(
        "materials:review",
        default=403,
        method="POST",
        kwargs=SUBMISSION,
        data=lambda w: {"decision": "approve", "revision": 1},
        unit_admin_a=302,
        **HIDDEN,
    ),
]
