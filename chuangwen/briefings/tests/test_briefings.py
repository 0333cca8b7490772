"""Daily and weekly reports: the figures, idempotency, the schedule, the webhook, the liaison's
weekly notification and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.briefings import services
from chuangwen.briefings.models import Briefing, BriefingKind, Schedule
from chuangwen.notifications.models import Notification
from chuangwen.problems.models import Problem, Status
from chuangwen.problems.tests.factories import problem_in_street_a

pytestmark = pytest.mark.django_db


def _yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _problems(world) -> None:
    y = _yesterday()
    found = problem_in_street_a(world)
    Problem.objects.filter(pk=found.pk).update(reported_at=_at(y), deadline=_at(y + dt.timedelta(days=5)))
    closed = problem_in_street_a(world)
    Problem.objects.filter(pk=closed.pk).update(
        reported_at=_at(y - dt.timedelta(days=3)), status=Status.CLOSED, closed_at=_at(y, 15)
    )
    late = problem_in_street_a(world)
    Problem.objects.filter(pk=late.pk).update(
        reported_at=_at(y - dt.timedelta(days=20)), deadline=_at(y - dt.timedelta(days=10))
    )


def test_daily_report_counts_yesterdays_problems(world):
    _problems(world)
    briefing, created = services.generate(
        world.campaign, BriefingKind.DAILY, _yesterday(), actor=world.office
    )
    assert created
    assert briefing.data["problems"] == {"found": 1, "closed": 1, "overdue": 1}
    assert briefing.data["duty"]["assigned"] == 0
    assert "1" in briefing.summary


def test_one_report_per_kind_and_day(world):
    first, created = services.generate(world.campaign, BriefingKind.DAILY, _yesterday())
    again, created_again = services.generate(world.campaign, BriefingKind.DAILY, _yesterday())
    assert created and not created_again and again.pk == first.pk
    weekly, created_weekly = services.generate(world.campaign, BriefingKind.WEEKLY, _yesterday())
    assert created_weekly and weekly.pk != first.pk
    assert Briefing.objects.count() == 2


def test_today_or_later_is_refused(world):
    from chuangwen.core.errors import DomainError

    with pytest.raises(DomainError):
        services.generate(world.campaign, BriefingKind.DAILY, timezone.localdate())


def test_weekly_report_rates_by_unit_and_liaison_notification(world, django_capture_on_commit_callbacks):
    _problems(world)
    with django_capture_on_commit_callbacks(execute=True):
        briefing, _c = services.generate(world.campaign, BriefingKind.WEEKLY, _yesterday())
    rows = {r["unit"]: r for r in briefing.data["units"]}
    street = rows[world.street_a.name]
    # Three problems, one closed; due = closed + overdue = 2 → 50 % (problems.rates, basis "due").
    assert street["total"] == 3 and street["closed"] == 1 and street["rate"] == 50.0
    # A week ago the closed one was still open: the rate moved over the week.
    assert [m["unit"] for m in briefing.data["movers"]] == [world.street_a.name]
    note = Notification.objects.get(user=world.liaison_a)
    assert "50.0%" in note.body
    assert not Notification.objects.filter(user=world.liaison_b).exists()
    # Generating again sends nothing twice.
    services.generate(world.campaign, BriefingKind.WEEKLY, _yesterday())
    assert Notification.objects.filter(user=world.liaison_a).count() == 1


def test_summary_is_posted_to_the_chat_webhook(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        "chuangwen.notifications.services.post_webhook",
        lambda url, payload: sent.append((url, payload)) or True,
    )
    settings.NOTIFY_WEBHOOK_URL = "https://chat.example/hook"
    with django_capture_on_commit_callbacks(execute=True):
        briefing, _c = services.generate(world.campaign, BriefingKind.DAILY, _yesterday())
    assert len(sent) == 1
    url, payload = sent[0]
    assert url == "https://chat.example/hook" and payload["body"] == briefing.summary
    assert payload["url"].endswith(f"/{briefing.pk}.pdf")
    briefing.refresh_from_db()
    assert briefing.posted


def test_schedule_says_what_is_due(world):
    schedule = Schedule(campaign=world.campaign, time_of_day=dt.time(8, 0), weekday=2)
    tz = timezone.get_current_timezone()
    wednesday = dt.date(2026, 12, 2)
    assert services.due(schedule, dt.datetime.combine(wednesday, dt.time(7, 59), tzinfo=tz)) == []
    assert services.due(schedule, dt.datetime.combine(wednesday, dt.time(8, 5), tzinfo=tz)) == [
        ("daily", dt.date(2026, 12, 1)),
        ("weekly", dt.date(2026, 12, 1)),
    ]
    thursday = dt.datetime.combine(dt.date(2026, 12, 3), dt.time(9, 0), tzinfo=tz)
    assert services.due(schedule, thursday) == [("daily", dt.date(2026, 12, 2))]
    schedule.enabled = False
    assert services.due(schedule, thursday) == []


def test_worker_job_generates_once(world):
    from chuangwen.briefings.jobs import generate_due

    services.set_schedule(world.campaign, world.office, enabled=True, time_of_day=dt.time(0, 0), weekday=0)
    made = generate_due.call_local()
    assert made >= 1
    assert Briefing.objects.filter(campaign=world.campaign, kind="daily", day=_yesterday()).exists()
    assert generate_due.call_local() == 0


def test_office_generates_from_the_list_and_downloads(world):
    client = world.client("office")
    response = client.post(reverse("briefings:generate"), {"kind": "weekly", "day": _yesterday().isoformat()})
    assert response.status_code == 302
    briefing = Briefing.objects.get(kind="weekly")
    page = client.get(reverse("briefings:index"))
    assert briefing.summary in page.content.decode()
    docx = client.get(reverse("briefings:download", kwargs={"pk": briefing.pk, "fmt": "docx"}))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = world.client("leader").get(reverse("briefings:download", kwargs={"pk": briefing.pk, "fmt": "pdf"}))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert (
        client.get(reverse("briefings:download", kwargs={"pk": briefing.pk, "fmt": "exe"})).status_code == 404
    )


def test_office_sets_the_schedule(world):
    response = world.client("office").post(
        reverse("briefings:schedule"), {"enabled": "on", "time_of_day": "07:30", "weekday": "4"}
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(campaign=world.campaign)
    assert schedule.time_of_day == dt.time(7, 30) and schedule.weekday == 4 and schedule.enabled


def test_pages_and_documents_are_in_chinese(world, chinese):
    import io

    from docx import Document

    client = world.client("office")
    client.post(reverse("briefings:generate"), {"kind": "daily", "day": _yesterday().isoformat()})
    page = client.get(reverse("briefings:index")).content.decode()
    assert "督查日报与周调度" in page and "立即生成" in page and "下载Word版" in page
    briefing = Briefing.objects.get()
    assert "督查点位" in briefing.summary
    docx = client.get(reverse("briefings:download", kwargs={"pk": briefing.pk, "fmt": "docx"}))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "值守出勤" in text and "材料报送" in text and "督查点位" in text, text


def test_demo_reports_load_once(world):
    from chuangwen.demo import beat_briefings
    from chuangwen.demo.base import DemoContext

    ctx = DemoContext(today=timezone.localdate())
    ctx.campaign = world.campaign
    beat_briefings.load(ctx)
    beat_briefings.load(ctx)
    assert sorted(Briefing.objects.values_list("kind", flat=True)) == ["daily", "daily", "weekly"]
