from chuangwen.tests.matrix import api, page


def _note(w):
    """A notification of liaison_a's: only liaison_a may open it; everybody else gets 404."""
    from chuangwen.notifications.models import Notification

    note = w.__dict__.get("note") or Notification.objects.create(
        user=w.liaison_a, title="测试", url="/tasks/"
    )
    w.__dict__["note"] = note
    return note


ROUTES = [
    page("notifications:list"),
    page(
        "notifications:read", kwargs=lambda w: {"pk": _note(w).pk}, method="POST", default=404, liaison_a=302
    ),
    page("notifications:read_all", method="POST", default=302),
    api("GET", "/api/notifications/"),
    api(
        "POST",
        "/api/notifications/{notification_id}/read",
        kwargs=lambda w: {"notification_id": _note(w).pk},
        default=404,
        liaison_a=200,
    ),
]
