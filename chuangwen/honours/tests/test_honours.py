"""Honours: the register with the campaign record beside it, the annual re-check, and 评选 from
nomination through 公示 to the award."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.core.errors import DomainError
from chuangwen.honours import services
from chuangwen.honours.models import Honour, HonourStatus, Kind, Nomination, NominationStatus, SelectionStatus
from chuangwen.honours.tests.fixtures import STORY, honours
from chuangwen.problems.models import UnitCard

pytestmark = pytest.mark.django_db


def test_a_recheck_keeps_warns_or_revokes_a_title_once_a_year(world):
    honour = honours(world).honour
    year = timezone.localdate().year
    services.recheck(honour, year, "warn", world.office, "创建工作滞后")
    honour.refresh_from_db()
    assert honour.status == HonourStatus.WARNED
    with pytest.raises(DomainError):
        services.recheck(honour, year, "keep", world.office)  # already re-checked this year
    services.recheck(honour, year + 1, "revoke", world.office)
    honour.refresh_from_db()
    assert honour.status == HonourStatus.REVOKED
    with pytest.raises(DomainError):
        services.recheck(honour, year + 2, "keep", world.office)


def test_the_register_shows_the_units_cards_beside_its_title(world):
    honour = honours(world).honour
    UnitCard.objects.create(unit=world.community_a, campaign=world.campaign, color="red", reason="overdue")
    page = world.client("office").get(reverse("honours:list")).content.decode()
    assert "Red cards: 1" in page
    detail = world.client("liaison_a").get(reverse("honours:detail", args=[honour.pk])).content.decode()
    assert "Red cards: 1" in detail


def test_the_office_records_the_recheck_on_the_page_and_a_liaison_cannot(world):
    honour = honours(world).honour
    year = timezone.localdate().year
    assert (
        world.client("liaison_a")
        .post(reverse("honours:detail", args=[honour.pk]), {"year": year, "outcome": "revoke"})
        .status_code
        == 404
    )
    response = world.client("office").post(
        reverse("honours:detail", args=[honour.pk]), {"year": year, "outcome": "keep"}
    )
    assert response.status_code == 302
    assert honour.rechecks.get().outcome == "keep"


def test_a_selection_runs_from_nomination_through_public_notice_to_an_award(world):
    data = honours(world)
    selection, first = data.selection, data.nomination
    liaison = world.client("liaison_a")
    response = liaison.post(
        reverse("honours:nominate", args=[selection.pk]),
        {"unit": world.street_a.pk, "nominee": "李好人", "story": STORY, "key": "n-1"},
    )
    assert response.status_code == 302
    second = Nomination.objects.get(nominee="李好人")
    office = world.client("office")
    action = reverse("honours:selection_action", args=[selection.pk])
    office.post(action, {"action": "approve", "nomination": first.pk, "version": first.version})
    office.post(action, {"action": "approve", "nomination": second.pk, "version": second.version})
    today = timezone.localdate()
    office.post(
        action,
        {
            "action": "notice",
            "notice_from": today.isoformat(),
            "notice_until": (today + dt.timedelta(days=5)).isoformat(),
        },
    )
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.NOTICE
    public = world.client("anonymous").get(reverse("honours:public_notice")).content.decode()
    assert "王热心" in public and "李好人" in public
    assert "/honours/photos/" not in public  # no photos of people on the public page
    # An objection is upheld for one nominee; awards wait for the end of the objection period.
    office.post(action, {"action": "withdraw", "nomination": second.pk, "note": "事迹不实"})
    with pytest.raises(DomainError):
        services.award(selection, world.office)
    selection.notice_until = today - dt.timedelta(days=1)
    selection.save(update_fields=["notice_until"])
    office.post(action, {"action": "award"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == NominationStatus.AWARDED and second.status == NominationStatus.OBJECTED
    honour = Honour.objects.get(nomination=first)
    assert (honour.kind, honour.holder_name, honour.unit_id) == (
        Kind.GOOD_PERSON,
        "王热心",
        world.community_a.pk,
    )
    assert "王热心" not in world.client("anonymous").get(reverse("honours:public_notice")).content.decode()


def test_a_nomination_sent_twice_with_one_key_is_filed_once(world):
    selection = honours(world).selection
    data = services.NominationInput(world.community_a, "张三", STORY)
    one = services.nominate(selection, data, world.liaison_a, idempotency_key="same")
    two = services.nominate(selection, data, world.liaison_a, idempotency_key="same")
    assert one.pk == two.pk


def test_nominations_close_at_the_deadline(world):
    selection = honours(world).selection
    selection.nominations_until = timezone.localdate() - dt.timedelta(days=1)
    selection.save(update_fields=["nominations_until"])
    with pytest.raises(DomainError):
        services.nominate(
            selection, services.NominationInput(world.community_a, "迟到", STORY), world.liaison_a
        )


def test_the_sibling_street_sees_the_selection_but_not_street_as_nominations(world):
    selection = honours(world).selection
    page = world.client("liaison_b").get(reverse("honours:selection", args=[selection.pk])).content.decode()
    assert "王热心" not in page
    body = world.client("liaison_b").get(f"/api/honours/selections/{selection.pk}/nominations").json()
    assert body == []
    assert [
        n["nominee"]
        for n in world.client("liaison_a").get(f"/api/honours/selections/{selection.pk}/nominations").json()
    ] == ["王热心"]
