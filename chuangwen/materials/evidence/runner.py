"""Running the evidence checks of one submission (the background job's body)."""

from __future__ import annotations

import io
import logging

import numpy as np
from django.db import transaction
from django.utils import timezone
from PIL import Image

from chuangwen.materials.evidence import rules
from chuangwen.materials.evidence.documents import docx_words, pdf_words
from chuangwen.materials.evidence.exif import gps_of
from chuangwen.materials.evidence.hashing import hash_fields, phash_image, work_image
from chuangwen.materials.evidence.people import count_people
from chuangwen.materials.models import ChecksState, Document, EvidenceFlag, Photo, Severity, Submission

log = logging.getLogger(__name__)


def analyse_photo_bytes(data: bytes) -> dict:
    """Facts about one photo: its hash chunks, EXIF position and people count (model fields).
    The photo is decoded once, at the work size, for the hash and both detectors."""
    with Image.open(io.BytesIO(data)) as image:
        position = gps_of(image)
        work = work_image(image)
    facts: dict = hash_fields(phash_image(work))
    people = count_people(np.asarray(work))
    facts.update(
        gps_lat=position[0] if position else None,
        gps_lng=position[1] if position else None,
        faces=min(people.faces, 32767),
        bodies=min(people.bodies, 32767),
        people=min(people.estimate, 32767),
    )
    return facts


def analyse_photo(photo: Photo) -> None:
    with photo.original.open("rb") as handle:
        data = handle.read()
    facts = analyse_photo_bytes(data)
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
