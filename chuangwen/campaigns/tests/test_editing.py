"""The office edits the campaign, phases, deliverables, posts and groups in the product."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.campaigns.models import (
    Campaign,
    CommandPost,
    DeliverableStatus,
    Phase,
    PhaseTask,
    WorkingGroup,
)
from chuangwen.org.models import Person

pytestmark = pytest.mark.django_db


def _audited(action: str, obj) -> bool:
    return AuditEntry.objects.filter(action=action, object_id=str(obj.pk)).exists()


def test_the_office_changes_the_inspection_date_and_the_change_is_audited(world):
    campaign = world.campaign
    new_start = campaign.inspection_start + dt.timedelta(days=10)
    response = world.client("office").post(
        reverse("campaigns:campaign_edit", args=[campaign.pk]),
        {
            "name": campaign.name,
            "year": campaign.year,
            "level": "county",
            "root_unit": world.district.code,
            "office_unit": world.office_unit.code,
            "inspection_start": new_start.isoformat(),
            "inspection_end": campaign.inspection_end.isoformat(),
            "is_current": "on",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.inspection_start, campaign.level) == (new_start, "county")
    entry = AuditEntry.objects.get(action="campaigns.campaign.update", object_id=str(campaign.pk))
    assert set(entry.changes) == {"inspection_start", "level"}


def test_a_new_current_campaign_takes_the_mark_from_the_old_one(world):
    response = world.client("office").post(
        reverse("campaigns:campaign_new"),
        {
            "name": "明年",
            "year": world.campaign.year + 1,
            "level": "county",
            "root_unit": world.district.code,
            "is_current": "on",
        },
    )
    assert response.status_code == 302
    assert Campaign.objects.get(is_current=True).name == "明年"


def test_an_office_outside_the_territory_is_refused_in_chinese(world, chinese):
    response = world.client("office").post(
        reverse("campaigns:campaign_edit", args=[world.campaign.pk]),
        {
            "name": "x",
            "year": 2026,
            "level": "county",
            "root_unit": world.street_a.code,
            "office_unit": world.office_unit.code,
        },
    )
    assert response.status_code == 200
    assert "创建办必须是创建范围内的单位" in response.content.decode()
    world.campaign.refresh_from_db()
    assert world.campaign.root_unit == world.district


def test_the_office_adds_a_phase_and_a_phase_ending_before_it_starts_is_refused(world):
    client = world.client("office")
    url = reverse("campaigns:phase_new", args=[world.campaign.pk])
    bad = client.post(url, {"seq": 2, "name": "整体推进", "start": "2026-05-01", "end": "2026-04-01"})
    assert "cannot end before it starts" in bad.content.decode()
    taken = client.post(url, {"seq": 1, "name": "重号", "start": "2026-05-01", "end": "2026-06-01"})
    assert "Another phase has this number" in taken.content.decode()
    client.post(
        url,
        {
            "seq": 2,
            "name": "整体推进",
            "start": "2026-05-01",
            "end": "2026-06-30",
            "lead_unit": world.department.code,
        },
    )
    phase = Phase.objects.get(campaign=world.campaign, seq=2)
    assert phase.lead_unit == world.department and _audited("campaigns.phase.create", phase)


def test_a_deliverable_is_submitted_by_its_unit_and_accepted_by_the_office(world):
    phase = world.campaign.phases.get()
    world.client("office").post(
        reverse("campaigns:deliverable_new", args=[phase.pk]),
        {"text": "更换公益广告牌", "unit": world.street_a.code, "due": phase.end.isoformat()},
    )
    item = PhaseTask.objects.get(phase=phase)
    assert (item.number, item.unit, item.status) == (1, world.street_a, DeliverableStatus.TODO)
    move = reverse("campaigns:deliverable_move", args=[item.pk])
    # The sibling street may not report on street A's deliverable.
    assert world.client("liaison_b").post(move, {"status": "submitted", "note": "x"}).status_code == 403
    # Nor may the responsible unit accept its own work.
    world.client("liaison_a").post(move, {"status": "done"})
    item.refresh_from_db()
    assert item.status == DeliverableStatus.TODO
    evidence = SimpleUploadedFile("photos.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    world.client("liaison_a").post(
        move, {"status": "submitted", "note": "已更换 12 块", "evidence": evidence}
    )
    item.refresh_from_db()
    assert item.status == DeliverableStatus.SUBMITTED and item.evidence_note == "已更换 12 块"
    assert item.evidence.name.endswith(".pdf")
    world.client("office").post(move, {"status": "done"})
    item.refresh_from_db()
    assert item.status == DeliverableStatus.DONE
    assert (
        AuditEntry.objects.filter(action="campaigns.deliverable.status", object_id=str(item.pk)).count() == 2
    )


def test_a_deliverable_cannot_be_submitted_without_evidence(world):
    phase = world.campaign.phases.get()
    item = PhaseTask.objects.create(phase=phase, number=1, text="宣传", unit=world.street_a)
    response = world.client("liaison_a").post(
        reverse("campaigns:deliverable_move", args=[item.pk]), {"status": "submitted"}, follow=True
    )
    assert "Describe the evidence" in response.content.decode()
    item.refresh_from_db()
    assert item.status == DeliverableStatus.TODO


def test_the_countdown_page_shows_each_deliverable_with_its_unit_due_date_and_status(world):
    phase = world.campaign.phases.get()
    PhaseTask.objects.create(
        phase=phase,
        number=1,
        text="更换公益广告牌",
        unit=world.street_a,
        due=dt.date.today() - dt.timedelta(days=1),
    )
    html = world.client("liaison_b").get(reverse("campaigns:calendar")).content.decode()
    assert "更换公益广告牌" in html and "松林街道" in html and "overdue" in html
    assert "Submit evidence" not in html, "only the responsible unit and the office report on it"
    assert "Submit evidence" in world.client("liaison_a").get(reverse("campaigns:calendar")).content.decode()


def test_the_office_names_the_headquarters_and_a_working_group_with_its_members(world):
    leader = Person.objects.create(name="赵指挥", phone="13900000001", unit=world.district)
    client = world.client("office")
    client.post(
        reverse("campaigns:post_new", args=[world.campaign.pk]),
        {"title": "指挥长", "person": "赵指挥", "rank": 1},
    )
    post = CommandPost.objects.get()
    assert post.person == leader and _audited("campaigns.post.create", post)
    client.post(
        reverse("campaigns:group_new", args=[world.campaign.pk]),
        {
            "name": "城市管理组",
            "lead_unit": "商务局",
            "responsible": "赵指挥 13900000001",
            "members_text": "松林街道、柳岸街道",
            "rank": 1,
        },
    )
    group = WorkingGroup.objects.get()
    assert group.lead_unit == world.department and group.responsible == leader
    assert set(group.members.all()) == {world.street_a, world.street_b}
    entry = AuditEntry.objects.get(action="campaigns.group.create", object_id=str(group.pk))
    assert sorted(entry.changes["members"][1]) == sorted([world.street_a.pk, world.street_b.pk])


def test_an_unknown_member_unit_or_person_is_named_and_nothing_is_saved(world):
    response = world.client("office").post(
        reverse("campaigns:group_new", args=[world.campaign.pk]),
        {
            "name": "社区工作组",
            "lead_unit": "商务局",
            "responsible": "无名氏",
            "members_text": "不存在街道",
            "rank": 1,
        },
    )
    html = response.content.decode()
    assert "不存在街道" in html and "Nobody called 无名氏" in html
    assert not WorkingGroup.objects.exists()


def test_deleting_a_group_is_audited(world):
    group = WorkingGroup.objects.create(
        campaign=world.campaign, name="督查指导组", lead_unit=world.office_unit
    )
    world.client("office").post(reverse("campaigns:group_delete", args=[group.pk]))
    assert not WorkingGroup.objects.exists()
    assert AuditEntry.objects.filter(action="campaigns.group.delete", object_id=str(group.pk)).exists()


def test_a_deliverable_edited_without_a_number_keeps_its_number(world):
    phase = world.campaign.phases.get()
    item = PhaseTask.objects.create(phase=phase, number=3, text="宣传", unit=world.street_a)
    world.client("office").post(
        reverse("campaigns:deliverable_edit", args=[item.pk]), {"number": "", "text": "宣传发动", "unit": ""}
    )
    item.refresh_from_db()
    assert (item.number, item.text, item.unit) == (3, "宣传发动", None)
