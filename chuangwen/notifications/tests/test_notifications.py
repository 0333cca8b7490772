import json
from unittest import mock

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from chuangwen.notifications.models import Notification
from chuangwen.notifications.services import mark_read, notify, post_webhook


def test_notify_creates_one_notification_per_user(world):
    created = notify([world.liaison_a, world.liaison_b, world.liaison_a], "标题", "内容", "/tasks/")
    assert len(created) == 2
    assert Notification.objects.filter(user=world.liaison_a, title="标题").count() == 1


def test_notify_with_a_key_never_delivers_the_same_key_to_a_user_twice(world):
    notify([world.liaison_a], "提醒", key="task:1:2026-05-01")
    assert notify([world.liaison_a, world.liaison_b], "提醒", key="task:1:2026-05-01") != []
    assert notify([world.liaison_a, world.liaison_b], "提醒", key="task:1:2026-05-01") == []
    assert Notification.objects.count() == 2


def test_inactive_users_are_not_notified(world):
    world.liaison_b.is_active = False
    assert notify([world.liaison_b], "x") == []


def test_no_email_or_webhook_without_configuration(world, django_capture_on_commit_callbacks):
    with mock.patch("urllib.request.urlopen") as urlopen, django_capture_on_commit_callbacks(execute=True):
        notify([world.liaison_a], "x")
    urlopen.assert_not_called()
    assert mail.outbox == []


@override_settings(NOTIFY_WEBHOOK_URL="file:///etc/passwd")
def test_a_webhook_url_that_is_not_http_is_ignored(world):
    with mock.patch("urllib.request.urlopen") as urlopen:
        assert post_webhook("file:///etc/passwd", {}) is False
    urlopen.assert_not_called()


def test_the_webhook_gets_json(world):
    with mock.patch("urllib.request.urlopen") as urlopen:
        urlopen.return_value.__enter__.return_value.status = 200
        assert post_webhook("https://chat.example/hook", {"title": "任务"})
    request = urlopen.call_args.args[0]
    assert json.loads(request.data) == {"title": "任务"}
    assert request.get_header("Content-type").startswith("application/json")


def test_the_list_shows_only_my_notifications_and_marking_read_follows_the_link(world):
    mine = Notification.objects.create(user=world.liaison_a, title="我的提醒", url="/tasks/")
    Notification.objects.create(user=world.liaison_b, title="别人的提醒")
    client = world.client("liaison_a")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "我的提醒" in page and "别人的提醒" not in page
    response = client.post(reverse("notifications:read", args=[mine.pk]))
    assert response.status_code == 302 and response.url == "/tasks/"
    mine.refresh_from_db()
    assert mine.is_read


def test_a_link_to_another_site_is_not_followed(world):
    note = Notification.objects.create(user=world.liaison_a, title="x", url="https://evil.example/")
    response = world.client("liaison_a").post(reverse("notifications:read", args=[note.pk]))
    assert response.url == reverse("notifications:list")


def test_mark_all_read_and_the_unread_count_on_the_home_page(world):
    Notification.objects.create(user=world.liaison_a, title="一")
    Notification.objects.create(user=world.liaison_a, title="二")
    client = world.client("liaison_a")
    assert "?unread=1" in client.get("/").content.decode()
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(user=world.liaison_a).unread().count() == 0
    assert mark_read(world.liaison_a) == 0


def test_the_api_lists_and_marks_only_my_notifications(world):
    note = Notification.objects.create(user=world.liaison_a, title="我的")
    other = Notification.objects.create(user=world.liaison_b, title="别人的")
    client = world.client("liaison_a")
    assert [n["title"] for n in client.get("/api/notifications/").json()["items"]] == ["我的"]
    assert client.post(f"/api/notifications/{note.pk}/read").json()["read_at"] is not None
    assert client.post(f"/api/notifications/{other.pk}/read").status_code == 404
