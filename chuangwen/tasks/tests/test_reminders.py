import datetime as dt
import json
from unittest import mock

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from chuangwen.accounts.models import Membership, Role
from chuangwen.conftest import make_user
from chuangwen.notifications.models import Notification
from chuangwen.tasks.jobs import daily_task_reminders
from chuangwen.tasks.models import Cadence, ProgressReport
from chuangwen.tasks.reminders import send_reminders
from chuangwen.tasks.tests.fixtures import make_task

TODAY = dt.date(2026, 5, 28)


def test_owners_of_a_task_due_in_three_days_are_notified_once_a_day(world):
    task = make_task(world, deadline=TODAY + dt.timedelta(days=3))
    make_task(world, deadline=TODAY + dt.timedelta(days=10), title="还早")
    assert send_reminders(TODAY) == 2  # liaison_a and unit_admin_a of street A
    assert send_reminders(TODAY) == 0  # the same day again: nothing new
    notes = Notification.objects.filter(user=world.liaison_a)
    assert [n.url for n in notes] == [f"/tasks/{task.pk}/"]
    assert "2026-05-31" in notes[0].title
    assert send_reminders(TODAY + dt.timedelta(days=1)) == 2  # the next day reminds again


def test_overdue_tasks_are_reminded_and_done_ones_are_not(world):
    make_task(world, deadline=TODAY - dt.timedelta(days=1), title="逾期任务")
    done = make_task(world, deadline=TODAY - dt.timedelta(days=1), title="已完成")
    done.done_confirmed_at = timezone.now()
    done.save()
    send_reminders(TODAY)
    titles = list(Notification.objects.filter(user=world.liaison_a).values_list("title", flat=True))
    assert len(titles) == 1 and "逾期任务" in titles[0]


def test_a_monthly_task_is_reminded_near_month_end_only_until_its_report_is_in(world):
    task = make_task(world, cadence=Cadence.MONTHLY, deadline=None, starts_on=TODAY.replace(day=1))
    assert send_reminders(TODAY) == 2
    ProgressReport.objects.create(task=task, unit=world.street_a, month=TODAY.replace(day=1), text="已报")
    assert send_reminders(TODAY + dt.timedelta(days=1)) == 0


def test_responsible_people_with_a_login_are_notified_and_sibling_units_are_not(world):
    task = make_task(world, deadline=TODAY + dt.timedelta(days=1))
    world.person_a.user = world.duty_a
    world.person_a.save()
    task.people.add(world.person_a)
    send_reminders(TODAY)
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"liaison_a", "unit_admin_a", "duty_a"}


@override_settings(NOTIFY_WEBHOOK_URL="https://chat.example/hook", EMAIL_HOST="smtp.example")
def test_reminders_go_to_the_webhook_and_by_email_when_configured(
    world, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.liaison_a.email = "a@example.org"
    world.liaison_a.save()
    make_task(world, deadline=TODAY + dt.timedelta(days=2), title="要提醒的任务")
    with mock.patch("urllib.request.urlopen") as urlopen, django_capture_on_commit_callbacks(execute=True):
        urlopen.return_value.__enter__.return_value.status = 200
        send_reminders(TODAY)
    request = urlopen.call_args.args[0]
    payload = json.loads(request.data)
    assert request.full_url == "https://chat.example/hook"
    assert "要提醒的任务" in payload["title"] and "liaison_a" in payload["users"]
    assert mail.outbox[0].to == ["a@example.org"]


def test_the_daily_job_runs_the_reminders(world):
    make_task(world, deadline=timezone.localdate() + dt.timedelta(days=1))
    daily_task_reminders.call_local()
    assert Notification.objects.filter(user=world.liaison_a).count() == 1


def test_a_unit_admin_of_another_unit_is_not_told(world):
    other = make_user("admin_b", world.street_b, Role.UNIT_ADMIN)
    make_task(world, deadline=TODAY)
    send_reminders(TODAY)
    assert not Notification.objects.filter(user=other).exists()
    assert Membership.objects.filter(user=other).exists()
