import datetime as dt
import io
from zoneinfo import ZoneInfo

import docx
import pytest
from django.db import connection
from django.utils import timezone

from chuangwen.problems import escalation, services
from chuangwen.problems.jobs import escalate_problems
from chuangwen.problems.models import (
    CardColor,
    CardReason,
    Escalation,
    EventKind,
    Problem,
    SupervisionNotice,
    UnitCard,
)
from chuangwen.problems.tests.factories import photo, problem_in_street_a

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
# A plain working week in 2026 (no holidays): Monday 9 March.
MONDAY = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)


def due_at(world, deadline, **extra):
    problem = problem_in_street_a(world, **extra)
    Problem.objects.filter(pk=problem.pk).update(deadline=deadline)
    return Problem.objects.get(pk=problem.pk)


def test_a_problem_due_soon_gets_one_reminder(world):
    problem = due_at(world, MONDAY + dt.timedelta(hours=2))
    assert escalation.run(MONDAY) == {"reminded": 1}
    assert escalation.run(MONDAY + dt.timedelta(minutes=15)) == {}
    problem.refresh_from_db()
    assert problem.reminded_at == MONDAY
    assert problem.events.filter(kind=EventKind.REMINDED).count() == 1


def test_an_overdue_problem_gets_a_numbered_supervision_notice_with_a_word_file(world):
    problem = due_at(world, MONDAY - dt.timedelta(hours=1))
    assert escalation.run(MONDAY + dt.timedelta(hours=1)) == {"notice": 1}
    notice = SupervisionNotice.objects.get()
    assert notice.number == "督办〔2026〕1号"
    assert notice.unit == world.street_a
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(notice.document.read())).paragraphs)
    assert world.street_a.name in text and f"第{problem.pk}号" in text
    problem.refresh_from_db()
    assert problem.escalation == Escalation.NOTICE
    version = problem.version
    assert escalation.run(MONDAY + dt.timedelta(hours=2)) == {}
    problem.refresh_from_db()
    assert problem.version == version  # escalation never makes the unit's open form stale


def test_overdue_past_the_thresholds_brings_a_yellow_then_a_red_card(world, settings):
    settings.PROBLEM_YELLOW_CARD_DAYS = 3
    settings.PROBLEM_RED_CARD_DAYS = 7
    problem = due_at(world, MONDAY)
    escalation.run(MONDAY + dt.timedelta(hours=1))
    assert not UnitCard.objects.exists()
    escalation.run(dt.datetime(2026, 3, 12, 10, 0, tzinfo=TZ))  # Thursday: 3 working days + 1 h
    assert list(UnitCard.objects.values_list("color", "reason")) == [(CardColor.YELLOW, CardReason.OVERDUE)]
    escalation.run(dt.datetime(2026, 3, 18, 10, 0, tzinfo=TZ))  # 7 working days + 1 h
    problem.refresh_from_db()
    assert problem.escalation == Escalation.RED
    assert UnitCard.objects.filter(problem=problem, color=CardColor.RED).count() == 1
    escalation.run(dt.datetime(2026, 3, 25, 10, 0, tzinfo=TZ))
    assert UnitCard.objects.filter(problem=problem).count() == 2


def test_working_time_is_what_counts_so_a_weekend_adds_nothing(world, settings):
    settings.PROBLEM_YELLOW_CARD_DAYS = 1
    due_at(world, dt.datetime(2026, 3, 13, 18, 0, tzinfo=TZ))  # Friday evening
    escalation.run(dt.datetime(2026, 3, 15, 20, 0, tzinfo=TZ))  # Sunday night
    assert not UnitCard.objects.exists()
    escalation.run(dt.datetime(2026, 3, 16, 18, 30, tzinfo=TZ))  # Monday after work: one working day
    assert UnitCard.objects.filter(color=CardColor.YELLOW).count() == 1


def test_a_unit_repeatedly_overdue_gets_a_card_for_the_repetition(world, settings):
    settings.PROBLEM_REPEAT_NOTICES = 2
    settings.PROBLEM_YELLOW_CARD_DAYS = 30
    due_at(world, MONDAY)
    due_at(world, MONDAY)
    result = escalation.run(MONDAY + dt.timedelta(hours=1))
    assert result == {"notice": 2, "repeated_yellow": 1}
    assert UnitCard.objects.get(reason=CardReason.REPEATED).unit == world.street_a
    assert escalation.run(MONDAY + dt.timedelta(hours=2)) == {}


def test_a_submitted_or_closed_problem_is_not_escalated(world):
    problem = due_at(world, timezone.now() + dt.timedelta(days=30))
    problem = services.accept(problem, world.liaison_a)
    services.submit(problem, world.liaison_a, measures="done", photos=[photo()])
    Problem.objects.filter(pk=problem.pk).update(deadline=MONDAY)
    assert escalation.run(MONDAY + dt.timedelta(days=3)) == {}


def test_the_periodic_job_runs_through_huey(world):
    due_at(world, timezone.now() - dt.timedelta(days=1))
    escalate_problems.call_local()
    assert SupervisionNotice.objects.count() == 1


def test_the_job_waits_quietly_on_a_database_not_yet_migrated(world, monkeypatch):
    due_at(world, timezone.now() - dt.timedelta(days=1))
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])
    assert escalate_problems.call_local() == {}
    assert not SupervisionNotice.objects.exists()
