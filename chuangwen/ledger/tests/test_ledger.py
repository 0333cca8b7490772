"""The per-unit ledger and the year-end account: every consequence lands on its unit, the
office's rules weigh and cap it, and the account explains itself line by line."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from chuangwen.assessments.models import Card, Summons
from chuangwen.core.errors import DomainError
from chuangwen.ledger import services
from chuangwen.ledger.compute import accounts
from chuangwen.ledger.models import EntryKind
from chuangwen.meetings import services as meetings
from chuangwen.meetings.tests.factories import meeting
from chuangwen.problems.models import UnitCard

pytestmark = pytest.mark.django_db


def account_of(world, unit, **kw):
    return next(a for a in accounts(world.campaign, world.campaign.year, **kw) if a.unit_id == unit.pk)


def lines(account):
    return {line.kind: line for line in account.lines}


def card(world, unit, color="yellow"):
    return Card.objects.create(campaign=world.campaign, unit=unit, color=color, reason="负面清单事件")


def test_cards_summons_and_a_missed_meeting_land_on_the_unit(world):
    card(world, world.street_a)
    card(world, world.street_a, "red")
    UnitCard.objects.create(unit=world.street_a, campaign=world.campaign, color="yellow", reason="overdue")
    Summons.objects.create(
        campaign=world.campaign,
        unit=world.street_a,
        held_on=timezone.localdate(),
        summoned="街道主任",
        summoned_by="区创建办",
        reason="问题整改不力",
    )
    m = meeting(world, units=[world.street_a, world.street_b])
    meetings.record_attendance(m, {world.street_b.pk: "王五"}, world.office)
    a = account_of(world, world.street_a)
    got = lines(a)
    assert (got[EntryKind.YELLOW_CARD].count, got[EntryKind.YELLOW_CARD].points) == (2, 2.0)
    assert got[EntryKind.RED_CARD].points == 2.0
    assert got[EntryKind.SUMMONS].points == 2.0
    assert got[EntryKind.MEETING_ABSENCE].points == 0.5
    assert a.deducted == 6.5 and a.total == 93.5
    b = account_of(world, world.street_b)
    assert b.lines == [] and b.total == 100.0 and b.rank < a.rank


def test_a_credit_goes_to_the_unit_that_earned_it_and_is_capped(world):
    services.add_credit(
        world.campaign,
        world.office,
        unit=world.community_a,
        kind=EntryKind.BONUS,
        title="垃圾分类特色做法",
        points=Decimal("3"),
        awarded_on=timezone.localdate(),
    )
    services.add_credit(
        world.campaign,
        world.office,
        unit=world.community_a,
        kind=EntryKind.BONUS,
        title="文明实践品牌",
        points=Decimal("4"),
        awarded_on=timezone.localdate(),
    )
    line = lines(account_of(world, world.community_a))[EntryKind.BONUS]
    assert (line.amount, line.points, line.capped) == (7.0, 5.0, True)
    assert account_of(world, world.community_a).total == 105.0
    assert account_of(world, world.street_a).credited == 0


def test_the_offices_rules_change_the_weights_and_caps(world):
    for _ in range(3):
        card(world, world.street_a)
    rules = {EntryKind.YELLOW_CARD: {"weight": 2.0, "cap": 5.0}}
    services.set_rules(world.campaign, world.office, Decimal("90"), rules)
    a = account_of(world, world.street_a)
    line = lines(a)[EntryKind.YELLOW_CARD]
    assert (line.points, line.capped) == (5.0, True)
    assert a.total == 85.0
    with pytest.raises(DomainError):
        services.set_rules(
            world.campaign, world.office, Decimal("90"), {"nonsense": {"weight": 1, "cap": None}}
        )
    with pytest.raises(DomainError):
        services.set_rules(world.campaign, world.office, Decimal("90"), {EntryKind.RED_CARD: {"weight": -1}})


def test_an_overdue_meeting_decision_and_an_overdue_problem_count(world):
    from chuangwen.problems.tests.factories import problem_in_street_a

    m = meeting(world)
    d = meetings.add_decision(
        m, world.office, text="清理小广告", unit=world.street_a, deadline=timezone.localdate(), kind="action"
    )
    p = problem_in_street_a(world)
    type(p).objects.filter(pk=p.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    got = lines(account_of(world, world.street_a, today=d.deadline + dt.timedelta(days=1)))
    assert got[EntryKind.OVERDUE_DECISION].count == 1
    assert got[EntryKind.OVERDUE_PROBLEM].count == 1


def test_a_credit_outside_the_territory_or_worth_nothing_is_refused(world):
    from chuangwen.org.models import Unit, UnitKind

    args = {"kind": EntryKind.PRAISE, "title": "表扬", "awarded_on": timezone.localdate()}
    with pytest.raises(DomainError):
        services.add_credit(world.campaign, world.office, unit=world.street_a, points=Decimal("0"), **args)
    elsewhere = Unit.objects.create(name="外区", code="X1", kind=UnitKind.DISTRICT)
    with pytest.raises(DomainError):
        services.add_credit(world.campaign, world.office, unit=elsewhere, points=Decimal("1"), **args)


def test_a_unit_reads_its_own_statement_and_not_its_siblings(world):
    card(world, world.street_a)
    client = world.client("liaison_a")
    page = client.get(reverse("ledger:unit", args=[world.street_a.pk]))
    assert page.status_code == 200 and "Yellow cards" in page.content.decode()
    assert client.get(reverse("ledger:unit", args=[world.street_b.pk])).status_code == 404
    table = client.get(reverse("ledger:index")).content.decode()
    assert "松林街道" in table and "柳岸街道" not in table
    listed = client.get("/api/ledger/").json()
    assert {a["unit"] for a in listed} <= {"松林街道", "松林一社区"}


def test_the_statement_and_the_table_export(world, chinese):
    card(world, world.street_a)
    docx = world.client("liaison_a").get(reverse("ledger:statement", args=[world.street_a.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "松林街道" in text and "年度绩效考核" in text
    table_text = "\n".join(
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    )
    assert "黄牌" in table_text
    response = world.client("office").get(reverse("ledger:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "排名" and "年度总分" in header
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "松林街道" in names


def test_the_office_sets_rules_and_records_a_credit_through_the_pages(world):
    client = world.client("office")
    form = {"base_score": "100"}
    for kind in EntryKind:
        form[f"weight_{kind.value}"] = "1"
        form[f"cap_{kind.value}"] = ""
    assert client.post(reverse("ledger:rules"), form).status_code == 302
    response = client.post(
        reverse("ledger:credit"),
        {
            "unit": world.street_a.pk,
            "kind": "praise",
            "title": "通报表扬",
            "points": "1.5",
            "awarded_on": timezone.localdate().isoformat(),
        },
    )
    assert response["Location"] == reverse("ledger:unit", args=[world.street_a.pk])
    assert account_of(world, world.street_a).credited == 1.5


def test_the_four_responsibilities_share_a_problem_and_every_unit_is_told(
    world, django_capture_on_commit_callbacks
):
    from chuangwen.notifications.models import Notification
    from chuangwen.problems.tests.factories import problem_in_street_a

    problem = problem_in_street_a(world)
    entries = {
        "point": (world.community_a, Decimal("0.4")),
        "supervising": (world.street_a, Decimal("0.3")),
        "competent": (world.department, Decimal("0.2")),
        "lead": (world.office_unit, Decimal("0.1")),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.name_responsibilities(problem, world.office, entries)
    assert lines(account_of(world, world.community_a))[EntryKind.SHARED].amount == 0.4
    assert lines(account_of(world, world.department))[EntryKind.SHARED].amount == 0.2
    assert Notification.objects.filter(user__in=[world.liaison_a, world.unit_admin_a]).exists()
    with pytest.raises(DomainError, match="add up"):
        services.name_responsibilities(problem, world.office, {"point": (world.street_a, Decimal("0.5"))})
    # Naming again replaces the earlier shares.
    services.name_responsibilities(problem, world.office, {"point": (world.street_a, Decimal("1"))})
    assert EntryKind.SHARED not in lines(account_of(world, world.community_a))


def test_the_office_names_responsibilities_on_the_page(world):
    from chuangwen.problems.tests.factories import problem_in_street_a

    problem = problem_in_street_a(world)
    url = reverse("ledger:responsibilities", args=[problem.pk])
    client = world.client("office")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "unit_point": world.street_a.pk,
            "share_point": "0.5",
            "unit_lead": world.department.pk,
            "share_lead": "0.5",
        },
    )
    assert response.status_code == 302
    assert sorted(problem.responsibilities.values_list("role", flat=True)) == ["lead", "point"]


def test_the_ledger_pages_are_in_chinese(world, chinese):
    from chuangwen.problems.tests.factories import problem_in_street_a

    card(world, world.street_a)
    problem = problem_in_street_a(world)
    client = world.client("office")
    for url in (
        reverse("ledger:index"),
        reverse("ledger:unit", args=[world.street_a.pk]),
        reverse("ledger:rules"),
        reverse("ledger:responsibilities", args=[problem.pk]),
    ):
        html = client.get(url).content.decode()
        for english in (
            "Year-end",
            "Yellow",
            "Record",
            "Rules",
            "Lines of",
            "Responsibility",
            "Bonus",
            "Credit",
        ):
            assert english not in html, (url, english)
