"""What the background job does: gather (drafts only), scale photos, write both files, store.

Progress is written to the bulletin row as the job goes (the page polls it). Every write is
conditional on the job's token: a job overtaken by a newer request (the texts were edited, or
it was declared dead and retried) finishes without touching the row or its files. A failure
stores its message on the row; nothing half-written is kept.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuangwen.bulletins import blocks, content, docx_writer, images, pdf_writer
from chuangwen.bulletins.models import Bulletin, BulletinUnit, JobState
from chuangwen.core.errors import DomainError
from chuangwen.core.storage import UNAVAILABLE, FileBatch, StorageUnavailable, is_storage_error
from chuangwen.problems.models import ProblemPhoto

log = logging.getLogger(__name__)


def _progress(pk: int, token: int, percent: int, stage: str) -> bool:
    """Record progress; False when the job has been overtaken (stop working)."""
    return bool(
        Bulletin.objects.filter(pk=pk, job_token=token).update(progress=percent, job_stage=stage[:80])
    )


def _fill_texts(bulletin: Bulletin, proposed: dict[str, str]) -> list[str]:
    """Proposed texts go into the fields the office has left empty (its own words are kept)."""
    filled = []
    for name, text in proposed.items():
        if not getattr(bulletin, name).strip():
            setattr(bulletin, name, text)
            filled.append(name)
    return filled


def _store(
    bulletin: Bulletin,
    token: int,
    data: dict[str, Any],
    docx: bytes,
    pdf: bytes,
    missing: list[dict[str, int]],
) -> bool:
    """Save the files and figures if the job still holds the latest token (else drop them).

    The files are written before the row is locked (a slow storage holds no lock) and deleted
    again if the job was overtaken or the save fails."""
    with FileBatch() as batch:
        folder = f"bulletins/{timezone.now():%Y}"
        names = (batch.write(folder, "docx", docx), batch.write(folder, "pdf", pdf))
        with transaction.atomic():
            row = Bulletin.objects.select_for_update().filter(pk=bulletin.pk, job_token=token).first()
            if row is None:
                batch.discard()
                return False
            _record(row, data, names, missing)
    return True


def _record(
    row: Bulletin, data: dict[str, Any], names: tuple[str, str], missing: list[dict[str, int]]
) -> None:
    """The locked row takes its new files, figures and the photos left out; the old files go
    after the commit."""
    old = [f.name for f in (row.docx, row.pdf) if f]
    row.docx.name, row.pdf.name = names
    row.missing_photos = missing
    fields = [
        "docx",
        "pdf",
        "missing_photos",
        "job_state",
        "progress",
        "job_stage",
        "job_finished_at",
        "updated_at",
    ]
    if row.is_draft:
        row.content = data
        fields.append("content")
        for name in _fill_texts(row, content.default_texts(row, data)):
            fields.append(name)
        # The units named are those of the latest figures.
        BulletinUnit.objects.filter(bulletin=row).delete()
        BulletinUnit.objects.bulk_create(
            BulletinUnit(bulletin=row, unit_id=pk, reason=reason) for pk, reason in data["mentions"]
        )
    row.job_state = JobState.DONE
    row.progress = 100
    row.job_stage = ""
    row.job_finished_at = timezone.now()
    row.save(update_fields=fields)
    storage = row.docx.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old])
    if not row.is_draft:
        transaction.on_commit(lambda: notify_units(row))


def notify_units(bulletin: Bulletin) -> int:
    """Tell the people of the units named that the bulletin is out (once per person)."""
    from chuangwen.accounts.models import Membership, Role
    from chuangwen.notifications.services import notify

    unit_ids = BulletinUnit.objects.filter(bulletin=bulletin).values("unit_id")
    users = {
        m.user
        for m in Membership.objects.filter(
            unit_id__in=unit_ids, role__in=(Role.UNIT_ADMIN, Role.LIAISON)
        ).select_related("user")
    }
    title = _("Bulletin %(issue)s: %(title)s") % {"issue": bulletin.issue_label, "title": bulletin.title}
    body = _("Your unit is named in this bulletin. Read it and rectify the problems listed.")
    url = reverse("bulletins:detail", kwargs={"pk": bulletin.pk})
    return len(notify(users, title, body, url, key=f"bulletin-published-{bulletin.pk}"))


def _build(
    bulletin: Bulletin, token: int
) -> tuple[dict[str, Any], bytes, bytes, list[dict[str, int]]] | None:
    pk = bulletin.pk
    if bulletin.is_draft:
        _progress(pk, token, 5, _("Gathering figures"))
        data = content.gather(bulletin)
        # The proposed texts appear in the first files too, not only after a second run.
        _fill_texts(bulletin, content.default_texts(bulletin, data))
    else:
        data = bulletin.content
    if not _progress(pk, token, 25, _("Scaling photos")):
        return None
    ids = blocks.photo_ids(data)
    scaled = images.load(
        ids,
        lambda done, total: _progress(pk, token, 25 + int(35 * done / max(total, 1)), _("Scaling photos")),
    )
    layout = blocks.build(bulletin, data)
    if not _progress(pk, token, 60, _("Writing the Word document")):
        return None
    docx = docx_writer.render(layout, scaled)
    if not _progress(pk, token, 75, _("Writing the PDF")):
        return None
    pdf = pdf_writer.render(layout, scaled)
    return data, docx, pdf, _missing(ids, scaled)


def _missing(ids: Any, scaled: dict[int, Any]) -> list[dict[str, int]]:
    """The photos that could not be read (their object is gone from the storage, or broken):
    the documents say "photo unavailable", and the bulletin's page lists them by problem."""
    left_out = sorted(set(ids) - set(scaled))
    problems = dict(ProblemPhoto.objects.filter(pk__in=left_out).values_list("pk", "problem_id"))
    return [{"photo": pk, "problem": problems.get(pk, 0)} for pk in left_out]


def run(pk: int, token: int) -> str:
    """The job's body; returns what happened (for the worker's log)."""
    # RUNNING with the same token: the worker died in this job and the job ledger replays it
    # (chuangwen.jobs.ledger.recover, only once the old process is gone). Claiming only QUEUED
    # skipped the replay and left the bulletin "generating" for ever (`chuangwen bench faults`).
    claimed = Bulletin.objects.filter(
        pk=pk, job_token=token, job_state__in=(JobState.QUEUED, JobState.RUNNING)
    ).update(job_state=JobState.RUNNING, job_started_at=timezone.now(), progress=1)
    if not claimed:
        return "skipped"
    with translation.override(settings.LANGUAGE_CODE):
        try:
            bulletin = Bulletin.objects.select_related("campaign__root_unit", "round", "street").get(pk=pk)
            built = _build(bulletin, token)
            if built is None or not _store(bulletin, token, *built):
                return "overtaken"
        except Exception as exc:  # noqa: BLE001 - any failure is shown to the office, who retries
            if not isinstance(exc, DomainError):
                log.exception("bulletin %s: generation failed", pk)
            message = str(exc) or exc.__class__.__name__
            if isinstance(exc, StorageUnavailable) or (
                is_storage_error(exc) and not isinstance(exc, OSError)
            ):
                # The office is told to retry; the endpoint and the backend's words stay in the log.
                message = str(UNAVAILABLE)
            Bulletin.objects.filter(pk=pk, job_token=token).update(
                job_state=JobState.FAILED, job_error=message[:2000], job_finished_at=timezone.now()
            )
            return "failed"
    return "done"
