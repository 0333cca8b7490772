import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.accounts.models import Membership, Role
from chuangwen.audit.models import AuditEntry
from chuangwen.conftest import make_user
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.materials import services
from chuangwen.materials.models import (
    Decision,
    Photo,
    ReviewPolicy,
    Submission,
    SubmissionStatus,
)
from chuangwen.materials.review import can_review, queue
from chuangwen.materials.tests.factories import activity, file_activity, make_requirement, photo_upload
from chuangwen.notifications.models import Notification
from chuangwen.tasks.models import AssignmentRole, TaskAssignment


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def approve(user, submission, comment=""):
    submission.refresh_from_db()
    return services.review(
        actor=user,
        submission=submission,
        decision=Decision.APPROVE,
        comment=comment,
        revision=submission.revision,
    )


def test_filing_keeps_the_original_and_a_display_copy_and_audits_it(world, settings):
    req = make_requirement(world)
    sub = file_activity(world, req, seeds=(1, 2))
    assert sub.status == SubmissionStatus.FIRST and sub.version == 1 and sub.is_current
    assert sub.period == f"{dt.date.today().year}-Q{(dt.date.today().month - 1) // 3 + 1}"
    photos = list(sub.photos.all())
    assert [p.seq for p in photos] == [1, 2]
    assert photos[0].original.name != photos[0].display.name
    assert photos[0].original_name == "IMG_0001.jpg"
    assert len(stored_files(settings)) == 4
    assert AuditEntry.objects.filter(action="materials.submission.submit", object_id=str(sub.pk)).exists()


def test_a_retry_with_the_same_key_returns_the_first_submission_and_stores_nothing_more(world, settings):
    req = make_requirement(world)
    first = file_activity(world, req, seeds=(1, 2), key="phone-retry-0001")
    files_before = len(stored_files(settings))
    again, created = services.submit(
        actor=world.liaison_a,
        requirement=req,
        unit=world.street_a,
        data=activity(),
        uploads=[photo_upload(1), photo_upload(2)],
        idempotency_key="phone-retry-0001",
    )
    assert again.pk == first.pk and created is False
    assert Submission.objects.count() == 1 and len(stored_files(settings)) == files_before


def test_a_refused_file_leaves_neither_a_record_nor_a_stored_file(world, settings):
    req = make_requirement(world)
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", "image/jpeg")
    with pytest.raises(DomainError, match="virus.jpg"):
        services.submit(
            actor=world.liaison_a,
            requirement=req,
            unit=world.street_a,
            data=activity(),
            uploads=[photo_upload(1), fake],
        )
    assert Submission.objects.count() == 0 and Photo.objects.count() == 0
    assert stored_files(settings) == []


def test_a_failure_after_files_were_written_removes_them_again(world, settings, monkeypatch):
    req = make_requirement(world)

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "log_action", broken)
    with pytest.raises(RuntimeError):
        file_activity(world, req, seeds=(1, 2))
    assert Submission.objects.count() == 0 and stored_files(settings) == []


def test_an_oversized_photo_is_refused_by_its_size(world, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    req = make_requirement(world)
    with pytest.raises(DomainError, match="too large"):
        file_activity(world, req, seeds=(1,))


def test_a_file_name_with_folders_is_reduced_to_its_name(world):
    req = make_requirement(world)
    sub = file_activity(world, req, seeds=(), uploads=[photo_upload(1, name="../../etc/相片.jpg")])
    assert sub.photos.get().original_name == "相片.jpg"


def test_the_sibling_street_cannot_file_for_street_a(world):
    req = make_requirement(world)
    with pytest.raises(PermissionError):
        file_activity(world, req, user="liaison_b", seeds=(1,))


def test_a_unit_not_assigned_to_the_task_cannot_file(world):
    req = make_requirement(world)
    with pytest.raises(DomainError, match="not assigned"):
        file_activity(world, req, user="liaison_b", unit=world.street_b, seeds=(1,))


def test_an_activity_in_the_future_or_outside_the_window_is_refused(world):
    req = make_requirement(world)
    with pytest.raises(DomainError, match="future"):
        file_activity(world, req, day=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="no period"):
        file_activity(world, req, day=dt.date(dt.date.today().year - 1, 6, 1))


def test_three_levels_approve_in_turn_and_each_notifies_the_next(world):
    req = make_requirement(world)
    sub = file_activity(world, req)
    assert Notification.objects.filter(user=world.unit_admin_a).exists()
    assert queue(world.unit_admin_a).get() == sub and not queue(world.office).exists()
    sub = approve(world.unit_admin_a, sub)
    assert sub.status == SubmissionStatus.SECOND and queue(world.office).get() == sub
    sub = approve(world.office, sub)
    assert sub.status == SubmissionStatus.FINAL
    assert Notification.objects.filter(user=world.leader).exists()
    sub = approve(world.leader, sub)
    assert sub.status == SubmissionStatus.APPROVED
    assert [r.level for r in sub.reviews.all()] == ["first", "second", "final"]
    assert Notification.objects.filter(user=world.liaison_a, title__contains="Approved").exists()


def test_nobody_reviews_their_own_submission(world):
    req = make_requirement(world)
    sub = file_activity(world, req, user="unit_admin_a")
    assert not can_review(world.unit_admin_a, sub)
    with pytest.raises(PermissionError):
        approve(world.unit_admin_a, sub)
    assert not queue(world.unit_admin_a).exists()


def test_the_parent_units_admin_may_do_the_first_review_of_a_community(world):
    req = make_requirement(world, unit=world.community_a)
    liaison = make_user("liaison_a1", world.community_a, Role.LIAISON)
    sub = file_activity(world, req, user="liaison_a", unit=world.community_a, seeds=(1, 2))
    assert can_review(world.unit_admin_a, sub)
    admin_b = make_user("admin_b", world.street_b, Role.UNIT_ADMIN)
    assert not can_review(admin_b, sub)
    assert liaison.pk != sub.submitted_by_id


def test_one_person_does_not_approve_twice_at_two_levels(world):
    policy = ReviewPolicy.objects.create(campaign=world.campaign, first_roles=["unit_admin", "office_admin"])
    req = make_requirement(world)
    sub = file_activity(world, req)
    sub = approve(world.office, sub)
    assert sub.status == SubmissionStatus.SECOND
    assert not can_review(world.office, sub)
    policy.separate_reviewers = False
    policy.save()
    assert can_review(world.office, Submission.objects.get(pk=sub.pk))


def test_the_campaign_decides_the_levels_and_a_level_without_roles_is_skipped(world):
    ReviewPolicy.objects.create(
        campaign=world.campaign, first_roles=[], second_roles=["office_admin"], final_roles=["leader"]
    )
    req = make_requirement(world)
    sub = file_activity(world, req)
    assert sub.status == SubmissionStatus.SECOND
    assert approve(world.office, sub).status == SubmissionStatus.FINAL


def test_sending_back_needs_a_comment_and_a_new_version_keeps_the_history(world):
    req = make_requirement(world)
    sub = file_activity(world, req, seeds=(1, 2))
    with pytest.raises(DomainError, match="must change"):
        services.review(
            actor=world.unit_admin_a, submission=sub, decision=Decision.SEND_BACK, revision=sub.revision
        )
    sub = services.review(
        actor=world.unit_admin_a,
        submission=sub,
        decision=Decision.SEND_BACK,
        comment="照片中看不出主办单位",
        revision=sub.revision,
    )
    assert sub.status == SubmissionStatus.SENT_BACK
    assert Notification.objects.filter(user=world.liaison_a, body="照片中看不出主办单位").exists()
    kept = sub.photos.get(seq=1)
    v2, created = services.submit(
        actor=world.liaison_a,
        requirement=req,
        unit=world.street_a,
        data=activity(organiser="松林街道办事处、市场监管所"),
        uploads=[photo_upload(7)],
        previous=sub,
        keep_photo_ids=(kept.pk,),
    )
    assert created and v2.version == 2 and v2.thread == sub.thread and v2.status == SubmissionStatus.FIRST
    sub.refresh_from_db()
    assert not sub.is_current and sub.status == SubmissionStatus.SENT_BACK
    assert [s.version for s in v2.history()] == [1, 2]
    carried = v2.photos.get(seq=1)
    assert carried.original.name == kept.original.name and carried.carried_from == kept
    with pytest.raises(ConflictError):
        services.submit(
            actor=world.liaison_a,
            requirement=req,
            unit=world.street_a,
            data=activity(),
            uploads=[photo_upload(8)],
            previous=sub,
        )


def test_two_reviewers_acting_on_the_same_version_the_second_gets_a_conflict(world):
    ReviewPolicy.objects.create(campaign=world.campaign, first_roles=["unit_admin"])
    second_admin = make_user("unit_admin_a2", world.street_a, Role.UNIT_ADMIN)
    req = make_requirement(world)
    sub = file_activity(world, req)
    seen = sub.revision
    services.review(actor=world.unit_admin_a, submission=sub, decision=Decision.APPROVE, revision=seen)
    with pytest.raises(ConflictError):
        services.review(
            actor=second_admin, submission=sub, decision=Decision.SEND_BACK, comment="不清晰", revision=seen
        )
    assert sub.reviews.count() == 1


def test_a_cooperating_unit_assignment_lets_the_unit_file(world):
    req = make_requirement(world)
    TaskAssignment.objects.create(task=req.task, unit=world.department, role=AssignmentRole.COOPERATING)
    Membership.objects.create(user=world.liaison_b, unit=world.department, role=Role.LIAISON)
    sub = file_activity(world, req, user="liaison_b", unit=world.department, seeds=(1, 2))
    assert sub.unit == world.department
