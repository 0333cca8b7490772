"""Browsing the audit log: office admins only, filtered by actor, action, object and dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from chuangwen.audit.services import log_action

URL = reverse("audit:list")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def entries(world, monkeypatch):
    """Four entries at known local times (Asia/Shanghai)."""
    times = iter(
        [
            dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI),
            dt.datetime(2026, 3, 2, 23, 30, tzinfo=SHANGHAI),  # 15:30 UTC: still 2 March locally
            dt.datetime(2026, 3, 3, 0, 30, tzinfo=SHANGHAI),  # 16:30 UTC on 2 March: 3 March locally
            dt.datetime(2026, 3, 5, 12, 0, tzinfo=SHANGHAI),
        ]
    )
    monkeypatch.setattr("chuangwen.audit.services.timezone.now", lambda: next(times))
    made = [
        log_action(world.office, "org.unit.update", world.street_a, {"name": ["a", "b"]}),
        log_action(world.unit_admin_a, "accounts.membership.add", world.liaison_a, {"role": "liaison"}),
        log_action(world.office, "org.person.create", world.person_a),
        log_action(world.liaison_a, "accounts.password_change", world.liaison_a),
    ]
    monkeypatch.undo()
    return made


def shown(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [e.action for e in response.context["page"]]


def test_only_the_office_reads_the_audit_log(world):
    for role in ("leader", "liaison_a", "liaison_b", "inspector", "unit_admin_a", "duty_a", "enumerator_a"):
        assert world.client(role).get(URL).status_code == 403, role
    assert world.client("anonymous").get(URL).status_code == 302
    assert world.client("office").get(URL).status_code == 200


def test_the_log_lists_newest_first(world, entries):
    assert shown(world.client("office")) == [
        "accounts.password_change",
        "org.person.create",
        "accounts.membership.add",
        "org.unit.update",
    ]


def test_it_filters_by_actor(world, entries):
    assert shown(world.client("office"), actor="unit_admin") == ["accounts.membership.add"]


def test_it_filters_by_action_prefix(world, entries):
    assert shown(world.client("office"), action="accounts.") == [
        "accounts.password_change",
        "accounts.membership.add",
    ]


def test_it_filters_by_object_name_type_and_id(world, entries):
    client = world.client("office")
    assert shown(client, object="松林") == ["org.unit.update"]
    assert shown(client, object_type="org.person") == ["org.person.create"]
    assert shown(client, object_type="accounts.user", object_id=str(world.liaison_a.pk)) == [
        "accounts.password_change",
        "accounts.membership.add",
    ]


def test_it_filters_by_local_dates_inclusive(world, entries):
    client = world.client("office")
    assert shown(client, since="2026-03-02", until="2026-03-02") == ["accounts.membership.add"]
    assert shown(client, since="2026-03-03") == ["accounts.password_change", "org.person.create"]
    assert shown(client, until="2026-03-01") == ["org.unit.update"]


def test_an_unreadable_date_is_ignored(world, entries):
    response = world.client("office").get(URL, {"since": "3月2日"})
    assert len(response.context["page"]) == 4
    assert response.context["filters"]["since"] == ""


def test_filters_combine_and_survive_paging(world, entries):
    client = world.client("office")
    assert shown(client, actor="office", since="2026-03-02") == ["org.person.create"]
    for i in range(60):
        log_action(world.office, "bulk.thing", changes={"i": i})
    first = client.get(URL, {"action": "bulk."})
    assert first.context["page"].paginator.count == 60
    assert "action=bulk." in first.context["querystring"]
    second = client.get(URL, {"action": "bulk.", "page": 2})
    assert len(second.context["page"]) == 10


def test_the_api_applies_the_same_filters(world, entries):
    client = world.client("office")
    body = client.get("/api/audit/entries", {"action": "org.", "since": "2026-03-03"}).json()
    assert [e["action"] for e in body["items"]] == ["org.person.create"]
    assert world.client("leader").get("/api/audit/entries").status_code == 403
