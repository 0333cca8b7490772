"""Meetings through the pages and the API: convening, deciding in one step, what units see."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.core.attention import gather
from chuangwen.meetings import services
from chuangwen.meetings.models import Decision, DecisionKind, Meeting
from chuangwen.meetings.tests.factories import indicator, meeting
from chuangwen.problems.tests.factories import category
from chuangwen.tasks.models import Task

pytestmark = pytest.mark.django_db


def soon(days: int = 7) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_the_office_convenes_a_meeting_from_the_page(world):
    client = world.client("office")
    response = client.post(
        reverse("meetings:create"),
        {
            "campaign": world.campaign.pk,
            "kind": "supervision",
            "title": "督查工作例会",
            "held_on": timezone.localdate().isoformat(),
            "chair": "常务副指挥长",
            "units": [world.street_a.pk, world.street_b.pk],
        },
    )
    m = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[m.pk])
    assert m.attendance.count() == 2


def test_a_decision_recorded_on_the_page_becomes_a_task_and_a_resend_is_kept_once(world):
    m = meeting(world)
    client = world.client("office")
    page = client.get(reverse("meetings:detail", args=[m.pk]))
    key = page.context["decision_form"]["idempotency_key"].value()
    form = {
        "text": "松林路公益广告补齐",
        "unit": world.street_a.pk,
        "deadline": soon(),
        "kind": "task",
        "indicator": indicator(world).pk,
        "idempotency_key": key,
    }
    client.post(reverse("meetings:decide", args=[m.pk]), form)
    client.post(reverse("meetings:decide", args=[m.pk]), form)
    decision = Decision.objects.get()
    assert Task.objects.get().pk == decision.task_id
    page = client.get(reverse("meetings:detail", args=[m.pk]))
    assert "松林路公益广告补齐" in page.content.decode()
    assert reverse("tasks:detail", args=[decision.task_id]) in page.content.decode()


def test_a_unit_sees_its_decisions_on_its_home_page_and_not_its_siblings(world):
    m = meeting(world, units=[world.street_a, world.street_b])
    services.add_decision(
        m, world.office, text="清理小广告", unit=world.street_a, deadline=timezone.localdate(), kind="action"
    )
    services.add_decision(
        m, world.office, text="修复路面", unit=world.street_b, deadline=timezone.localdate(), kind="action"
    )
    items = {a.label: a.count for a in gather(world.liaison_a)}
    assert items["Meeting decisions for my units"] == 1
    home = world.client("liaison_a").get(reverse("core:home")).content.decode()
    assert "Meeting decisions for my units" in home and reverse("meetings:mine") in home
    mine = world.client("liaison_a").get(reverse("meetings:mine")).content.decode()
    assert "清理小广告" in mine and "修复路面" not in mine
    detail = world.client("liaison_b").get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert "修复路面" in detail and "清理小广告" not in detail


def test_an_overdue_decision_is_flagged_on_the_home_page(world):
    m = meeting(world)
    d = services.add_decision(
        m, world.office, text="清理小广告", unit=world.street_a, deadline=timezone.localdate(), kind="action"
    )
    Decision.objects.filter(pk=d.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    labels = {a.label: a.level for a in gather(world.liaison_a)}
    assert labels["Overdue meeting decisions"] == "danger"


def test_the_office_records_attendance_and_minutes_and_marks_the_meeting_held(world):
    m = meeting(world, units=[world.street_a, world.street_b])
    client = world.client("office")
    client.post(
        reverse("meetings:attendance", args=[m.pk]),
        {"present": [world.street_a.pk], f"who_{world.street_a.pk}": "王五"},
    )
    client.post(reverse("meetings:minutes", args=[m.pk]), {"minutes": "一、听取汇报"})
    client.post(reverse("meetings:held", args=[m.pk]))
    m.refresh_from_db()
    assert m.status == "held" and m.minutes == "一、听取汇报" and m.brief is not None
    assert dict(m.attendance.values_list("unit_id", "attended")) == {
        world.street_a.pk: True,
        world.street_b.pk: False,
    }


def test_the_brief_downloads_as_word_for_the_office(world):
    m = meeting(world)
    response = world.client("leader").get(reverse("meetings:brief", args=[m.pk, "docx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert world.client("office").get(reverse("meetings:brief", args=[m.pk, "xls"])).status_code == 404


def test_the_pages_are_in_chinese(world, chinese):
    m = meeting(world)
    services.add_decision(
        m, world.office, text="清理小广告", unit=world.street_a, deadline=timezone.localdate(), kind="action"
    )
    for url in (reverse("meetings:index"), reverse("meetings:detail", args=[m.pk]), reverse("meetings:mine")):
        html = world.client("office").get(url).content.decode()
        for english in ("Meeting", "Decision", "Brief", "Record", "Attendance", "Minutes", "Convene", "Mark"):
            assert english not in html, (url, english)


def test_the_api_records_a_problem_decision_once_per_key(world):
    m = meeting(world)
    client = world.client("office")
    body = {
        "text": "松林路口占道经营",
        "unit_id": world.street_a.pk,
        "deadline": soon(2),
        "kind": DecisionKind.PROBLEM,
        "category_id": category().pk,
        "idempotency_key": "phone-1",
    }
    url = f"/api/meetings/{m.pk}/decisions"
    first = client.post(url, json.dumps(body), content_type="application/json")
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["problem_id"]
    listed = world.client("liaison_a").get("/api/meetings/decisions").json()
    assert [d["text"] for d in listed["items"]] == ["松林路口占道经营"]
    assert world.client("liaison_b").get("/api/meetings/decisions").json()["items"] == []


def test_the_api_convenes_a_meeting_and_refuses_a_unit_out_of_reach(world):
    client = world.client("office")
    body = {
        "campaign_id": world.campaign.pk,
        "kind": "special",
        "title": "农贸市场专题会",
        "held_on": timezone.localdate().isoformat(),
        "chair": "分管副区长",
        "unit_ids": [world.street_a.pk],
    }
    response = client.post("/api/meetings/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["attendance"][0]["unit_id"] == world.street_a.pk
    body["unit_ids"] = [999999]
    assert client.post("/api/meetings/", json.dumps(body), content_type="application/json").status_code == 404
