import datetime as dt

from django.utils import timezone

from chuangwen.tasks.attention import items
from chuangwen.tasks.models import Cadence, ProgressReport
from chuangwen.tasks.tests.fixtures import make_task


def test_it_counts_my_overdue_tasks_due_soon_and_missing_monthly_reports(world):
    today = timezone.localdate()
    make_task(world, deadline=today - dt.timedelta(days=1))
    make_task(world, deadline=today + dt.timedelta(days=2))
    monthly = make_task(world, cadence=Cadence.MONTHLY, deadline=None, starts_on=today.replace(day=1))
    # Told apart by colour: danger = overdue, warning = due soon, info = report missing.
    found = {a.level: a.count for a in items(world.liaison_a, today)}
    assert found == {"danger": 1, "warning": 1, "info": 1}
    ProgressReport.objects.create(task=monthly, unit=world.street_a, month=today.replace(day=1), text="已报")
    assert "info" not in {a.level for a in items(world.liaison_a, today)}


def test_the_sibling_street_is_told_nothing_about_street_as_tasks(world):
    make_task(world, deadline=timezone.localdate() - dt.timedelta(days=1))
    assert items(world.liaison_b) == []


def test_the_home_page_shows_the_items(world):
    make_task(world, deadline=timezone.localdate() - dt.timedelta(days=1))
    assert "/tasks/?state=overdue" in world.client("liaison_a").get("/").content.decode()
