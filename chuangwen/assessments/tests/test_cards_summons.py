"""Manual cards, summons (约谈) and a unit's accountability history."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.assessments import services
from chuangwen.assessments.models import Card, Summons
from chuangwen.assessments.tests.fixtures import accountability, problem
from chuangwen.audit.models import AuditEntry
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.problems.models import UnitCard

pytestmark = pytest.mark.django_db


def test_the_office_records_a_card_on_the_page_and_it_is_audited(world):
    p = problem(world.street_a)
    response = world.client("office").post(
        reverse("assessments:card_new"),
        {"unit": world.street_a.pk, "color": "red", "reason": "弄虚作假", "problem": p.pk},
    )
    assert response.status_code == 302
    card = Card.objects.get()
    assert (card.color, card.problem_id, card.issued_by) == ("red", p.pk, world.office)
    assert AuditEntry.objects.filter(action="assessments.card.create", object_id=str(card.pk)).exists()


def test_a_card_is_refused_for_another_units_problem_or_twice_for_the_same_escalation(world):
    p = problem(world.street_b)
    with pytest.raises(DomainError, match="not"):
        services.record_card(world.campaign, world.street_a, "yellow", "x", world.office, problem=p)
    UnitCard.objects.create(unit=world.street_b, color="yellow", reason="overdue", problem=p)
    with pytest.raises(DomainError, match="escalation"):
        services.record_card(world.campaign, world.street_b, "yellow", "x", world.office, problem=p)
    with pytest.raises(DomainError, match="why"):
        services.record_card(world.campaign, world.street_b, "red", "  ", world.office)
    assert not Card.objects.exists()


def test_a_summons_links_the_units_own_problems_and_cards_and_keeps_every_change(world):
    made = accountability(world)
    summons = made.summons
    assert list(summons.problems.all()) == [made.overdue]
    changed = services.save_summons(
        world.campaign,
        {
            "unit": world.street_a,
            "held_on": summons.held_on,
            "summoned": summons.summoned,
            "summoned_by": summons.summoned_by,
            "reason": summons.reason,
            "outcome": "限期一周整改到位",
            "problems": [made.overdue],
            "cards": [made.card],
        },
        world.office,
        summons=summons,
        version=summons.version,
    )
    assert changed.outcome == "限期一周整改到位" and changed.version == summons.version + 1
    entry = AuditEntry.objects.filter(action="assessments.summons.update").latest("id")
    assert entry.changes["outcome"] == ["", "限期一周整改到位"]
    with pytest.raises(ConflictError):
        services.save_summons(
            world.campaign,
            {
                "unit": world.street_a,
                "held_on": summons.held_on,
                "summoned": "a",
                "summoned_by": "b",
                "reason": "c",
            },
            world.office,
            summons=summons,
            version=summons.version,
        )
    other = problem(world.street_b)
    with pytest.raises(DomainError, match="not"):
        services.save_summons(
            world.campaign,
            {
                "unit": world.street_a,
                "held_on": summons.held_on,
                "summoned": "a",
                "summoned_by": "b",
                "reason": "c",
                "problems": [other],
            },
            world.office,
        )
    assert Summons.objects.count() == 1


def test_the_summons_api_creates_and_refuses_a_stale_edit(world):
    office = world.client("office")
    payload = {
        "unit_id": world.street_a.pk,
        "held_on": f"{timezone.localdate():%Y-%m-%d}",
        "summoned": "松林街道党工委书记",
        "summoned_by": "区委副书记",
        "reason": "红牌两张",
    }
    created = office.post("/api/assessments/summonses", json.dumps(payload), content_type="application/json")
    assert created.status_code == 200, created.content
    body = created.json()
    stale = office.put(
        f"/api/assessments/summonses/{body['id']}",
        json.dumps({**payload, "outcome": "x", "version": body["version"] - 1}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    ok = office.put(
        f"/api/assessments/summonses/{body['id']}",
        json.dumps({**payload, "outcome": "表态整改", "version": body["version"]}),
        content_type="application/json",
    )
    assert ok.json()["outcome"] == "表态整改"


def test_the_units_history_shows_its_results_cards_and_summons_and_nothing_of_a_sibling(world):
    made = accountability(world)
    auto = UnitCard.objects.create(unit=world.street_a, color="red", reason="overdue", problem=made.overdue)
    page = world.client("liaison_a").get(reverse("assessments:unit_history", args=[world.street_a.pk]))
    assert page.status_code == 200
    assert page.context["cards"] == [made.card] and page.context["unit_cards"] == [auto]
    assert page.context["summonses"] == [made.summons]
    assert [r.pk for r in page.context["results"]] == [made.result_a.pk]
    assert (
        world.client("liaison_b")
        .get(reverse("assessments:unit_history", args=[world.street_a.pk]))
        .status_code
        == 404
    )
    history = world.client("liaison_a").get(f"/api/assessments/units/{world.street_a.pk}/history").json()
    assert {c["automatic"] for c in history["cards"]} == {True, False}


def test_the_summons_form_saves_through_the_page(world):
    made = accountability(world)
    response = world.client("office").post(
        reverse("assessments:summons_new"),
        {
            "unit": world.street_a.pk,
            "held_on": "2026-03-02",
            "summoned": "主任",
            "summoned_by": "创建办",
            "reason": "超期",
            "outcome": "",
            "problem_ids": f"#{made.overdue.pk}",
            "card_ids": str(made.card.pk),
            "unit_card_ids": "",
        },
    )
    assert response.status_code == 302
    created = Summons.objects.latest("id")
    assert list(created.problems.all()) == [made.overdue] and list(created.cards.all()) == [made.card]
