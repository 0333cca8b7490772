"""The rules of a bulletin's life: one draft per period, numbering, immutability, the job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chuangwen.audit.models import AuditEntry
from chuangwen.bulletins import generation, services
from chuangwen.bulletins.models import Bulletin, BulletinCounter, BulletinStatus, JobState
from chuangwen.bulletins.tests.factories import draft, generated, published, run_jobs, sample_problems
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _ready(bulletin: Bulletin) -> Bulletin:
    """Mark a draft generated without writing files (for rules that do not need them)."""
    Bulletin.objects.filter(pk=bulletin.pk).update(job_state=JobState.DONE, content={"summary": {}})
    bulletin.refresh_from_db()
    return bulletin


def test_asking_twice_for_the_same_period_gives_the_same_draft(world):
    first = draft(world)
    second = draft(world)
    assert first.pk == second.pk
    assert Bulletin.objects.count() == 1
    other = draft(world, street=world.street_a)
    assert other.pk != first.pk


def test_generating_twice_while_a_job_is_queued_starts_one_job(world, django_capture_on_commit_callbacks):
    bulletin = draft(world)
    with django_capture_on_commit_callbacks() as callbacks:
        services.request_generation(bulletin, world.office)
        services.request_generation(bulletin, world.office)
    assert len(callbacks) == 1
    bulletin.refresh_from_db()
    assert bulletin.job_state == JobState.QUEUED and bulletin.job_token == 1


def test_a_job_overtaken_by_an_edit_keeps_nothing(world, django_capture_on_commit_callbacks):
    bulletin = draft(world)
    services.request_generation(bulletin, world.office)
    old_token = Bulletin.objects.get(pk=bulletin.pk).job_token
    services.update_texts(bulletin, world.office, {"highlights": "松林街道率先完成"})
    assert generation.run(bulletin.pk, old_token) == "skipped"
    bulletin = run_jobs(bulletin)
    assert bulletin.job_state == JobState.DONE and bulletin.docx


def test_published_bulletins_are_numbered_per_campaign_and_year_without_gaps(world, monkeypatch):
    monkeypatch.setattr(services, "_queue", lambda bulletin: None)
    start = dt.date(2026, 1, 1)
    bulletins = [
        _ready(
            services.create_draft(
                world.office, campaign=world.campaign, start=start, end=start + dt.timedelta(days=i)
            )[0]
        )
        for i in range(3)
    ]
    for bulletin in bulletins:
        services.publish(bulletin, world.office)
    year = timezone.localdate().year
    numbers = list(Bulletin.objects.order_by("number").values_list("year", "number"))
    assert numbers == [(year, 1), (year, 2), (year, 3)]
    assert BulletinCounter.objects.get(campaign=world.campaign, year=year).last_number == 3


def test_a_draft_gets_no_number_so_discarded_drafts_leave_no_gap(world):
    bulletin = draft(world)
    assert bulletin.number is None and bulletin.issue_label == "Draft"


def test_it_refuses_to_publish_before_generation_finishes(world):
    with pytest.raises(DomainError, match="Generate the bulletin"):
        services.publish(draft(world), world.office)


def test_a_published_bulletin_cannot_be_edited_regenerated_or_published_again(
    world, django_capture_on_commit_callbacks
):
    sample_problems(world)
    bulletin = published(world, django_capture_on_commit_callbacks)
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.number == 1
    assert bulletin.job_state == JobState.DONE
    frozen = bulletin.content
    with pytest.raises(DomainError):
        services.update_texts(bulletin, world.office, {"lead": "改写"})
    with pytest.raises(DomainError):
        services.request_generation(bulletin, world.office)
    with pytest.raises(DomainError):
        services.publish(bulletin, world.office)
    bulletin.refresh_from_db()
    assert bulletin.content == frozen and bulletin.lead != "改写"


def test_publishing_notifies_the_people_of_the_units_named(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    bulletin = published(world, django_capture_on_commit_callbacks)
    notified = set(
        Notification.objects.filter(url__contains=f"/bulletins/{bulletin.pk}/").values_list(
            "user__username", flat=True
        )
    )
    # Street A is named (well rectified); street B is named through its community (ranked).
    assert notified == {"liaison_a", "unit_admin_a", "liaison_b"}
    assert AuditEntry.objects.filter(action="bulletins.bulletin.publish", object_id=str(bulletin.pk)).exists()


def test_the_office_texts_survive_regeneration(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_texts(
            bulletin, world.office, {"lead": "本期导语", "highlights": "松林街道率先完成整改"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_generation(bulletin, world.office)
    bulletin.refresh_from_db()
    assert bulletin.lead == "本期导语" and bulletin.highlights == "松林街道率先完成整改"
    assert bulletin.job_state == JobState.DONE


def test_a_failed_generation_shows_the_error_and_can_be_retried(
    world, settings, django_capture_on_commit_callbacks
):
    from chuangwen.bulletins import fonts

    fonts._find.cache_clear()
    settings.PDF_FONT = "/nonexistent/font.ttf"
    bulletin = generated(world, django_capture_on_commit_callbacks)
    assert bulletin.job_state == JobState.FAILED
    assert "PDF_FONT" in bulletin.job_error and not bulletin.docx
    settings.PDF_FONT = ""
    fonts._find.cache_clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_generation(bulletin, world.office)
    bulletin.refresh_from_db()
    assert bulletin.job_state == JobState.DONE and bulletin.files_ready


def test_a_job_that_died_with_its_worker_may_be_started_again(world):
    bulletin = draft(world)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        job_state=JobState.RUNNING, job_token=5, job_started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert services.request_generation(bulletin, world.office).job_token == 6


def test_it_refuses_a_period_that_ends_before_it_starts_and_a_street_outside_the_campaign(world):
    today = timezone.localdate()
    with pytest.raises(DomainError):
        services.create_draft(
            world.office, campaign=world.campaign, start=today, end=today - dt.timedelta(days=1)
        )
    with pytest.raises(DomainError):
        services.create_draft(
            world.office, campaign=world.campaign, start=today, end=today, street=world.community_a
        )
    assert not Bulletin.objects.exists()


def test_discarding_a_draft_removes_it_and_its_files_and_leaves_no_gap_in_the_numbers(
    world, django_capture_on_commit_callbacks
):
    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    storage, names = bulletin.docx.storage, [bulletin.docx.name, bulletin.pdf.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.discard(bulletin, world.office)
    assert not Bulletin.objects.filter(pk=bulletin.pk).exists()
    assert not any(storage.exists(name) for name in names)
    entry = AuditEntry.objects.get(action="bulletins.bulletin.discard")
    assert entry.object_id == str(bulletin.pk) and entry.changes["title"] == bulletin.title
    # The next draft of the same period is a new one, and it is published as number 1.
    again = published(world, django_capture_on_commit_callbacks)
    assert again.pk != bulletin.pk and again.number == 1


def test_a_published_bulletin_cannot_be_discarded(world, django_capture_on_commit_callbacks):
    bulletin = published(world, django_capture_on_commit_callbacks)
    with pytest.raises(DomainError):
        services.discard(bulletin, world.office)
    assert Bulletin.objects.filter(pk=bulletin.pk).exists()


def test_acting_on_a_draft_someone_else_discarded_is_a_conflict(world):
    bulletin = draft(world)
    services.discard(bulletin.pk, world.office)
    for act in (
        lambda: services.publish(bulletin.pk, world.office),
        lambda: services.request_generation(bulletin.pk, world.office),
        lambda: services.update_texts(bulletin.pk, world.office, {"lead": "x"}),
        lambda: services.discard(bulletin.pk, world.office),
    ):
        with pytest.raises(ConflictError):
            act()


def test_a_generation_still_queued_for_a_discarded_draft_stores_nothing(world):
    bulletin = draft(world)
    services.request_generation(bulletin, world.office)
    token = Bulletin.objects.get(pk=bulletin.pk).job_token
    services.discard(bulletin, world.office)
    assert generation.run(bulletin.pk, token) == "skipped"
    assert not Bulletin.objects.exists()


def test_a_generation_replayed_after_its_worker_died_finishes_the_bulletin(world):
    # The worker was killed mid-job (the bulletin stays "running" with the job's token); the job
    # ledger runs the same job again when a worker starts, and that run must finish it.
    bulletin = draft(world)
    services.request_generation(bulletin, world.office)
    token = Bulletin.objects.get(pk=bulletin.pk).job_token
    Bulletin.objects.filter(pk=bulletin.pk).update(job_state=JobState.RUNNING, progress=75)
    assert generation.run(bulletin.pk, token) == "done"
    bulletin.refresh_from_db()
    assert bulletin.job_state == JobState.DONE and bulletin.files_ready
