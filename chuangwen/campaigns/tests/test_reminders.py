from __future__ import annotations

import datetime as dt

import pytest

from chuangwen.campaigns.models import DeliverableStatus, PhaseTask
from chuangwen.campaigns.reminders import send_deliverable_reminders
from chuangwen.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_responsible_unit_is_reminded_of_a_deliverable_due_soon_once_a_day(world):
    today = dt.date.today()
    phase = world.campaign.phases.get()
    soon = PhaseTask.objects.create(
        phase=phase, number=1, text="宣传牌更换", unit=world.street_a, due=today + dt.timedelta(days=2)
    )
    PhaseTask.objects.create(
        phase=phase, number=2, text="远期成果", unit=world.street_a, due=today + dt.timedelta(days=30)
    )
    PhaseTask.objects.create(
        phase=phase, number=3, text="已验收", unit=world.street_a, due=today, status=DeliverableStatus.DONE
    )
    assert send_deliverable_reminders(today) == 2  # street A's admin and liaison
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"liaison_a", "unit_admin_a"}
    assert all("宣传牌更换" in n.title for n in Notification.objects.all())
    assert send_deliverable_reminders(today) == 0, "not twice on the same day"
    soon.due = today - dt.timedelta(days=1)
    soon.save()
    send_deliverable_reminders(today + dt.timedelta(days=1))
    assert Notification.objects.filter(title__startswith="Phase deliverable overdue").count() == 2


def test_a_deliverable_without_a_unit_reminds_the_office(world):
    phase = world.campaign.phases.get()
    PhaseTask.objects.create(phase=phase, number=1, text="档案整理", due=dt.date.today())
    send_deliverable_reminders()
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["office"]
