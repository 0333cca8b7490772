"""Running the evidence checks of one submission (the background job's body)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from chuangwen.core.isolation import run_isolated
from chuangwen.materials.evidence import rules
from chuangwen.materials.evidence.documents import docx_words, pdf_words
from chuangwen.materials.evidence.people import photo_facts
from chuangwen.materials.models import ChecksState, Document, EvidenceFlag, Photo, Severity, Submission

log = logging.getLogger(__name__)

PHOTO_TIMEOUT_S = 60.0  # a 50 MP photo decodes at the work size and runs both detectors in ~2 s
PHOTO_MEMORY_MB = 1024


def analyse_photo_bytes(data: bytes) -> dict:
    """Facts about one photo (people.photo_facts), computed in an isolated process: a decoder or
    detector that crashes on a hostile photo costs this photo's facts, not the job worker."""
    return run_isolated(photo_facts, data, timeout=PHOTO_TIMEOUT_S, memory_mb=PHOTO_MEMORY_MB)


def analyse_photo(photo: Photo) -> None:
    """Store the facts of one photo. A photo the analysis cannot read (its decoder failed or
    crashed, or it ran out of time or memory) is stored as analysed without facts, so it is
    flagged for a person and never analysed again by a retry or the next version."""
    with photo.original.open("rb") as handle:
        data = handle.read()
    try:
        facts = analyse_photo_bytes(data)
    except Exception:  # noqa: BLE001 - whatever a hostile file makes the decoder raise
        log.warning("photo %s cannot be analysed", photo.pk, exc_info=True)
        facts = {}
    for name, value in facts.items():
        setattr(photo, name, value)
    photo.analysed_at = timezone.now()
    photo.save(update_fields=[*facts, "analysed_at"])


def analyse_document(document: Document) -> None:
    counters = {"docx": docx_words, "pdf": pdf_words}
    counter = counters.get(document.extension)
    if counter is None:
        return
    with document.file.open("rb") as handle:
        words = counter(handle.read())
    if words is not None:
        document.words = words
        document.save(update_fields=["words"])


def run_checks(submission_id: int) -> int:
    """Analyse what is new, then replace the submission's flags; returns how many were raised."""
    submission = Submission.objects.select_related("requirement__task__campaign", "unit").get(
        pk=submission_id
    )
    try:
        photos = list(submission.photos.all())
        documents = list(submission.documents.all())
        for photo in photos:
            if photo.analysed_at is None:
                analyse_photo(photo)
        for document in documents:
            if document.words is None:
                analyse_document(document)
        flags = rules.flags_for(submission, photos, documents)
    except Exception:
        log.exception("evidence checks failed for submission %s", submission_id)
        Submission.objects.filter(pk=submission_id).update(checks_state=ChecksState.FAILED)
        raise
    with transaction.atomic():
        EvidenceFlag.objects.filter(submission_id=submission_id).delete()
        EvidenceFlag.objects.bulk_create(flags)
        Submission.objects.filter(pk=submission_id).update(
            checks_state=ChecksState.DONE,
            checks_done_at=timezone.now(),
            flag_count=sum(1 for f in flags if f.severity != Severity.INFO),
        )
    return len(flags)
