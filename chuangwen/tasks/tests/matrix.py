import datetime as dt

from chuangwen.tasks.tests.fixtures import task_a
from chuangwen.tests.matrix import api, page

TASK = lambda w: {"pk": task_a(w).pk}  # noqa: E731
TASK_ID = lambda w: {"task_id": task_a(w).pk}  # noqa: E731
# Street A's task: the sibling street and the units below A (or outside it) get 404.
HIDDEN = {"liaison_b": 404, "inspector": 404, "duty_a": 404, "enumerator_a": 404}
REPORTERS = {"office": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}


def _attachment(w):
    from django.core.files.base import ContentFile

    from chuangwen.tasks.models import ProgressAttachment

    task_a(w)
    item = ProgressAttachment(
        report=w.report_a,
        original_name="a.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=9,
        sha256="0" * 64,
    )
    item.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    item.save()
    return {"pk": item.pk}


def _report(w):
    return {
        "unit": w.street_a.pk,
        "month": dt.date.today().replace(day=1).isoformat(),
        "text": "本月开展活动两次",
    }


ROUTES = [
    page("tasks:board"),
    page("tasks:mine"),
    page("tasks:coverage"),
    page("tasks:detail", kwargs=TASK, **HIDDEN),
    page("tasks:report", kwargs=TASK, default=403, **REPORTERS),
    page("tasks:confirm", kwargs=TASK, method="POST", default=403, office=302),
    page("tasks:reopen", kwargs=TASK, method="POST", default=403, office=302),
    page("tasks:attachment", kwargs=_attachment, **HIDDEN),
    page("tasks:import", default=403, office=200),
    page("tasks:import_template", default=403, office=200),
    page("tasks:export"),
    page("tasks:ledger"),
    api("GET", "/api/tasks/"),
    api("GET", "/api/tasks/mine"),
    api("GET", "/api/tasks/{task_id}", kwargs=TASK_ID, **HIDDEN),
    api(
        "POST",
        "/api/tasks/{task_id}/reports",
        kwargs=TASK_ID,
        data=lambda w: {
            "unit_id": w.street_a.pk,
            "month": dt.date.today().replace(day=1).isoformat(),
            "text": "进展",
        },
        default=403,
        **REPORTERS,
    ),
]
