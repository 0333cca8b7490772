"""The demo's meetings: last week's held meeting with three decisions, this week's planned one
whose brief checks them, and a credit; loading again writes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from chuangwen.demo import rhythm_meetings
from chuangwen.demo.base import DemoContext
from chuangwen.ledger.models import Credit
from chuangwen.meetings.brief import gather
from chuangwen.meetings.models import Decision, Meeting, MeetingStatus
from chuangwen.meetings.tests.factories import indicator
from chuangwen.problems.tests.factories import categories

pytestmark = pytest.mark.django_db


def test_the_demo_meetings_load_once_and_the_new_brief_checks_the_old_decisions(world):
    categories()
    ctx = DemoContext(today=timezone.localdate())
    ctx.campaign = world.campaign
    ctx.units = {"ML-S01": world.street_a, "ML-S02": world.street_b}
    ctx.indicators = {"Ⅲ-5": indicator(world)}
    rhythm_meetings.load(ctx)
    rhythm_meetings.load(ctx)
    held, planned = Meeting.objects.order_by("held_on")
    assert held.status == MeetingStatus.HELD and planned.status == MeetingStatus.PLANNED
    assert sorted(Decision.objects.values_list("kind", flat=True)) == ["action", "problem", "task"]
    assert [d["text"] for d in gather(planned)["previous"]["decisions"]][0].startswith("完成主次干道")
    assert Credit.objects.count() == 1
