from chuangwen.org.tests.workbooks import roster_upload
from chuangwen.tests.matrix import api, page

MANAGERS = {"office": 200}
UNIT_A = lambda w: {"pk": w.street_a.pk}  # noqa: E731
PERSON_A = lambda w: {"pk": w.person_a.pk}  # noqa: E731

ROUTES = [
    page("org:units"),
    page("org:unit", kwargs=UNIT_A, liaison_b=404, inspector=404, duty_a=404, enumerator_a=404),
    page("org:unit_new", default=403, **MANAGERS),
    page("org:unit_edit", default=403, kwargs=UNIT_A, **MANAGERS),
    page("org:people"),
    page("org:person_new", default=403, office=200, unit_admin_a=200),
    page("org:person_edit", default=403, kwargs=PERSON_A, office=200, unit_admin_a=200),
    page("org:territory"),
    page("org:import", default=403, **MANAGERS),
    page("org:import_template", default=403, **MANAGERS),
    # Checking a file is a dry run: the office sees the preview, everybody else is refused.
    page("org:import", default=403, method="POST", data=lambda w: {"file": roster_upload()}, **MANAGERS),
    # An unknown token sends the office back to the upload page; nothing is imported.
    page("org:import_commit", default=403, method="POST", data=lambda w: {"token": "0" * 32}, office=302),
    api("GET", "/api/org/units"),
    api(
        "GET",
        "/api/org/units/{unit_id}",
        kwargs=lambda w: {"unit_id": w.street_a.pk},
        liaison_b=404,
        inspector=404,
        duty_a=404,
        enumerator_a=404,
    ),
    api("GET", "/api/org/people"),
]
