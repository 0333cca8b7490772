"""Meetings: convening, attendance, decisions that become tasks or problems, the brief."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from chuangwen.audit.models import AuditEntry
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.meetings import services
from chuangwen.meetings.brief import blocks, document, gather
from chuangwen.meetings.models import Decision, DecisionKind, DecisionState, MeetingStatus
from chuangwen.meetings.tests.factories import indicator, meeting
from chuangwen.notifications.models import Notification
from chuangwen.problems.models import Status
from chuangwen.problems.tests.factories import category
from chuangwen.tasks.models import AssignmentRole, Task, TaskState

pytestmark = pytest.mark.django_db


def soon(days: int = 7) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_convening_invites_units_and_tells_their_people(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        m = meeting(world, units=[world.street_a, world.department])
    assert set(m.attendance.values_list("unit_id", flat=True)) == {world.street_a.pk, world.department.pk}
    assert Notification.objects.filter(user=world.liaison_a, key=f"meeting-invite-{m.pk}").exists()
    assert not Notification.objects.filter(user=world.liaison_b).exists()
    assert AuditEntry.objects.filter(action="meetings.meeting.convene").count() == 1


def test_it_refuses_a_unit_outside_the_campaign_territory(world):
    from chuangwen.org.models import Unit, UnitKind

    elsewhere = Unit.objects.create(name="外区", code="X1", kind=UnitKind.DISTRICT)
    with pytest.raises(DomainError):
        meeting(world, units=[elsewhere])


def test_a_decision_becomes_a_task_of_the_unit_in_one_step(world, django_capture_on_commit_callbacks):
    m = meeting(world)
    with django_capture_on_commit_callbacks(execute=True):
        d = services.add_decision(
            m,
            world.office,
            text="完善松林路公益广告设置\n每200米不少于1处",
            unit=world.street_a,
            deadline=soon(10),
            kind=DecisionKind.TASK,
            indicator=indicator(world),
        )
    task = Task.objects.get(pk=d.task_id)
    assert task.title == "完善松林路公益广告设置"
    assert task.deadline == soon(10)
    assert task.campaign == world.campaign
    # The unit named carries it out; the office that convened the meeting leads it (or, with no
    # office unit on the campaign, the unit leads its own task).
    roles = {(a.unit, a.role) for a in task.assignments.all()}
    lead = world.campaign.office_unit or world.street_a
    assert (lead, AssignmentRole.LEAD) in roles
    assert (world.street_a, AssignmentRole.RESPONSIBLE) in roles or lead == world.street_a
    assert d.number == 1 and d.state() == DecisionState.OPEN
    # The unit's people are told, and the decision shows as open for them.
    assert Notification.objects.filter(user=world.liaison_a, key=f"meeting-decision-{d.pk}").exists()
    # The task's own state drives the decision's.
    task.done_confirmed_at = timezone.now()
    task.save(update_fields=["done_confirmed_at"])
    d.refresh_from_db()
    assert d.state() == DecisionState.DONE
    assert Decision.objects.open().count() == 0
    assert Task.objects.with_state().get(pk=task.pk).state == TaskState.DONE


def test_a_decision_becomes_a_problem_dispatched_with_the_deadline(world):
    m = meeting(world, kind="supervision", title="督查工作例会")
    d = services.add_decision(
        m,
        world.office,
        text="松林路口占道经营限期整改",
        unit=world.street_a,
        deadline=soon(3),
        kind=DecisionKind.PROBLEM,
        category=category(),
    )
    problem = d.problem
    assert problem.unit == world.street_a
    assert problem.status == Status.DISPATCHED
    assert timezone.localtime(problem.deadline).date() == soon(3)
    assert "督查工作例会" in problem.description
    problem.status = Status.CLOSED
    problem.save(update_fields=["status"])
    assert Decision.objects.open().count() == 0


def test_decisions_are_numbered_in_order_and_a_resend_is_kept_once(world):
    m = meeting(world)
    args = {"text": "A", "unit": world.street_a, "deadline": soon(), "kind": DecisionKind.ACTION}
    first = services.add_decision(m, world.office, idempotency_key="k1", **args)
    again = services.add_decision(m, world.office, idempotency_key="k1", **args)
    second = services.add_decision(m, world.office, idempotency_key="k2", **{**args, "text": "B"})
    assert again.pk == first.pk and again.replayed
    assert [first.number, second.number] == [1, 2]
    assert Decision.objects.count() == 2


@pytest.mark.parametrize(
    "change, message",
    [
        ({"text": " "}, "Write the decision"),
        ({"deadline": dt.date(2000, 1, 1)}, "past"),
        ({"kind": DecisionKind.TASK}, "indicator"),
        ({"kind": DecisionKind.PROBLEM}, "category"),
        ({"kind": "nonsense"}, "carried out"),
    ],
)
def test_it_refuses_an_incomplete_decision(world, change, message):
    m = meeting(world)
    args = {"text": "A", "unit": world.street_a, "deadline": soon(), "kind": DecisionKind.ACTION, **change}
    with pytest.raises(DomainError, match=message):
        services.add_decision(m, world.office, **args)
    assert not Decision.objects.exists() and not Task.objects.exists()


def test_an_action_item_is_marked_done_by_the_office_once(world):
    m = meeting(world)
    d = services.add_decision(
        m, world.office, text="A", unit=world.street_a, deadline=soon(), kind=DecisionKind.ACTION
    )
    services.mark_decision_done(d, world.office, "已完成")
    d.refresh_from_db()
    assert d.state() == DecisionState.DONE and d.done_note == "已完成"
    with pytest.raises(ConflictError):
        services.mark_decision_done(d, world.office)


def test_a_task_decision_cannot_be_marked_done_by_hand(world):
    d = services.add_decision(
        meeting(world),
        world.office,
        text="A",
        unit=world.street_a,
        deadline=soon(),
        kind=DecisionKind.TASK,
        indicator=indicator(world),
    )
    with pytest.raises(DomainError):
        services.mark_decision_done(d, world.office)


def test_a_decision_past_its_deadline_is_overdue(world):
    d = services.add_decision(
        meeting(world),
        world.office,
        text="A",
        unit=world.street_a,
        deadline=soon(1),
        kind=DecisionKind.ACTION,
    )
    assert d.state(today=soon(2)) == DecisionState.OVERDUE


def test_attendance_records_who_came_and_everyone_else_absent(world):
    m = meeting(world, units=[world.street_a, world.street_b])
    came, absent = services.record_attendance(m, {world.street_a.pk: "张副主任"}, world.office)
    assert (came, absent) == (1, 1)
    rows = {a.unit_id: (a.attended, a.attendee) for a in m.attendance.all()}
    assert rows == {world.street_a.pk: (True, "张副主任"), world.street_b.pk: (False, "")}
    with pytest.raises(DomainError):
        services.record_attendance(m, {world.department.pk: "x"}, world.office)


def test_marking_held_needs_attendance_and_freezes_the_brief(world):
    m = meeting(world)
    with pytest.raises(DomainError, match="Record who came"):
        services.mark_held(m, world.office)
    services.record_attendance(m, {world.street_a.pk: "李四"}, world.office)
    m = services.mark_held(m, world.office)
    assert m.status == MeetingStatus.HELD and m.brief["overdue_tasks"]["count"] == 0
    with pytest.raises(ConflictError):
        services.mark_held(m, world.office)


def test_a_future_meeting_cannot_be_marked_held(world):
    m = meeting(world, held_on=soon(3), units=[])
    with pytest.raises(DomainError):
        services.mark_held(m, world.office)


def test_the_next_brief_lists_the_last_meetings_decisions_and_their_state(world):
    today = timezone.localdate()
    first = meeting(world, held_on=today - dt.timedelta(days=7), title="第11次调度会")
    done = services.add_decision(
        first, world.office, text="清理小广告", unit=world.street_a, deadline=today, kind=DecisionKind.ACTION
    )
    services.add_decision(
        first,
        world.office,
        text="修复破损路面",
        unit=world.street_b,
        deadline=today,
        kind=DecisionKind.ACTION,
        today=today - dt.timedelta(days=7),
    )
    services.mark_decision_done(done, world.office)
    second = meeting(world, held_on=today, title="第12次调度会")
    data = gather(second, today=today + dt.timedelta(days=1))
    assert data["previous"]["title"] == "第11次调度会"
    assert [(d["text"], d["state"]) for d in data["previous"]["decisions"]] == [
        ("清理小广告", DecisionState.DONE),
        ("修复破损路面", DecisionState.OVERDUE),
    ]


def test_the_brief_counts_overdue_tasks_worst_units_and_problem_ages(world):
    from chuangwen.problems.tests.factories import problem_in_street_a
    from chuangwen.tasks.models import TaskAssignment

    overdue = Task.objects.create(
        campaign=world.campaign,
        indicator=indicator(world),
        title="公益广告整改",
        deadline=timezone.localdate() - dt.timedelta(days=2),
    )
    TaskAssignment.objects.create(task=overdue, unit=world.street_b, role=AssignmentRole.RESPONSIBLE)
    p = problem_in_street_a(world)
    p.reported_at = timezone.now() - dt.timedelta(days=40)
    p.deadline = timezone.now() - dt.timedelta(days=30)
    p.save(update_fields=["reported_at", "deadline"])
    data = gather(meeting(world))
    assert data["overdue_tasks"]["count"] == 1
    assert data["overdue_tasks"]["rows"][0]["units"] == "柳岸街道"
    assert data["worst_units"][0]["unit"] == "松林街道" and data["worst_units"][0]["overdue"] == 1
    assert [a["count"] for a in data["problem_ages"]] == [0, 0, 1, 0]
    assert data["score"] is None


def test_the_brief_document_is_a_word_file_with_every_section(world, chinese):
    m = meeting(world)
    services.add_decision(
        m, world.office, text="清理小广告", unit=world.street_a, deadline=soon(), kind=DecisionKind.ACTION
    )
    m = services.record_minutes(m, "会议听取了各街道汇报。", world.office)
    text = "\n".join(p.text for p in Document(io.BytesIO(document(m, "docx"))).paragraphs)
    for heading in ("上次会议议定事项", "逾期任务", "整改", "问题", "本次会议议定事项", "会议纪要"):
        assert heading in text, heading
    assert "会议听取了各街道汇报。" in text
    kinds = [b.kind for b in blocks(m, gather(m))]
    assert kinds[0] == "title" and "table" in kinds


def test_the_brief_is_also_a_pdf(world):
    assert document(meeting(world), "pdf")[:5] == b"%PDF-"
