"""Turning facts into flags: time, place, reuse, people and the requirement's own rules.

Every function returns unsaved EvidenceFlag rows with the numbers that explain them (the
message is made from them when shown). Thresholds are settings with defaults from practice:
±3 days for the capture time, 1 km for the place, 10 bits of 64 for a near-duplicate.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from chuangwen.core.geo import haversine_m
from chuangwen.materials.evidence.duplicates import near_duplicates, photo_variants
from chuangwen.materials.evidence.hashing import to_unsigned
from chuangwen.materials.models import (
    DOCUMENT_KINDS,
    Document,
    DocumentKind,
    EvidenceFlag,
    FlagCode,
    MaterialKind,
    Photo,
    Severity,
    Submission,
)
from chuangwen.materials.periods import period_by_key

MAX_MATCHES_PER_PHOTO = 3


def capture_tolerance_days() -> int:
    return int(getattr(settings, "MATERIALS_CAPTURE_TOLERANCE_DAYS", 3))


def place_tolerance_m() -> int:
    return int(getattr(settings, "MATERIALS_PLACE_TOLERANCE_M", 1000))


def format_distance(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


def photo_distance_m(submission: Submission, photo: Photo) -> float | None:
    """Metres between the photo's EXIF position and the stated place, when both are known."""
    if not submission.has_position or photo.gps_lat is None or photo.gps_lng is None:
        return None
    return haversine_m(submission.latitude, submission.longitude, photo.gps_lat, photo.gps_lng)


def _flag(submission: Submission, code: str, severity: str = Severity.WARNING, **kwargs) -> EvidenceFlag:
    params = kwargs.pop("params", {})
    return EvidenceFlag(submission=submission, code=code, severity=severity, params=params, **kwargs)


def time_flags(submission: Submission, photos: list[Photo]) -> list[EvidenceFlag]:
    if submission.activity_date is None:
        return []
    flags = []
    tolerance = capture_tolerance_days()
    for photo in photos:
        if photo.taken_at is None:
            flags.append(_flag(submission, FlagCode.TAKEN_UNKNOWN, Severity.INFO, photo=photo))
            continue
        taken = timezone.localtime(photo.taken_at).date()
        days = abs((taken - submission.activity_date).days)
        if days > tolerance:
            flags.append(
                _flag(
                    submission,
                    FlagCode.TAKEN_OUTSIDE,
                    photo=photo,
                    params={
                        "taken": taken.isoformat(),
                        "days": days,
                        "activity": submission.activity_date.isoformat(),
                    },
                )
            )
    return flags


def place_flags(submission: Submission, photos: list[Photo]) -> list[EvidenceFlag]:
    if not submission.has_position:
        return []
    flags = []
    for photo in photos:
        metres = photo_distance_m(submission, photo)
        if metres is None:
            flags.append(_flag(submission, FlagCode.PLACE_UNKNOWN, Severity.INFO, photo=photo))
        elif metres > place_tolerance_m():
            flags.append(
                _flag(
                    submission,
                    FlagCode.FAR_FROM_PLACE,
                    photo=photo,
                    params={"distance": format_distance(metres), "metres": round(metres)},
                )
            )
    return flags


def reuse_flags(submission: Submission, photos: list[Photo]) -> list[EvidenceFlag]:
    """Near-duplicates among every photo ever stored, in other threads (a new version keeping
    its own earlier photos is no reuse), and repeats inside this submission."""
    flags: list[EvidenceFlag] = []
    own_ids = {p.pk for p in photos}
    by_id = {p.pk: p for p in photos}
    for photo in photos:
        if photo.phash is None:
            continue
        turned, windows = photo_variants(photo)
        matches = [
            m
            for m in near_duplicates(to_unsigned(photo.phash), turned=turned, windows=windows)
            if m.photo_id != photo.pk
        ]
        if not matches:
            continue
        inside = [m for m in matches if m.photo_id in own_ids]
        for match in inside:
            other = by_id[match.photo_id]
            if other.seq < photo.seq:  # flag the later copy once
                flags.append(
                    _flag(
                        submission,
                        FlagCode.REPEATED,
                        photo=photo,
                        other_photo=other,
                        params={"other_seq": other.seq, "bits": match.distance},
                    )
                )
                break
        outside = {m.photo_id: m for m in matches if m.photo_id not in own_ids}
        if not outside:
            continue
        others = (
            Photo.objects.filter(pk__in=outside)
            .exclude(submission__thread=submission.thread)
            .select_related("submission__unit")
        )
        ranked = sorted(others, key=lambda p: (outside[p.pk].distance, p.submission.submitted_at))
        for other in ranked[:MAX_MATCHES_PER_PHOTO]:
            flags.append(
                _flag(
                    submission,
                    FlagCode.REUSED,
                    Severity.DANGER,
                    photo=photo,
                    other_photo=other,
                    other_submission=other.submission,
                    params={
                        "bits": outside[other.pk].distance,
                        "how": outside[other.pk].how,
                        "other": other.submission.title,
                        "unit": other.submission.unit.name,
                        "date": timezone.localdate(other.submission.submitted_at).isoformat(),
                    },
                )
            )
    return flags


def people_flags(submission: Submission, photos: list[Photo]) -> list[EvidenceFlag]:
    minimum = submission.requirement.min_participants
    if not minimum:
        return []
    flags = []
    if submission.participants is not None and submission.participants < minimum:
        flags.append(
            _flag(
                submission,
                FlagCode.FEW_PARTICIPANTS,
                params={"claimed": submission.participants, "minimum": minimum},
            )
        )
    counted = [p.people for p in photos if p.people is not None]
    if counted:
        visible = max(counted)
        if visible < minimum:
            flags.append(
                _flag(
                    submission,
                    FlagCode.FEW_PEOPLE,
                    Severity.INFO if visible else Severity.WARNING,
                    params={
                        "visible": visible,
                        "minimum": minimum,
                        "claimed": submission.participants if submission.participants is not None else "—",
                    },
                )
            )
    return flags


def rule_flags(submission: Submission, photos: list[Photo], documents: list[Document]) -> list[EvidenceFlag]:
    requirement = submission.requirement
    flags: list[EvidenceFlag] = []
    count = len(photos)
    if requirement.kind == MaterialKind.PHOTOS:
        if requirement.photos_min and count < requirement.photos_min:
            flags.append(
                _flag(
                    submission,
                    FlagCode.FEW_PHOTOS,
                    params={"count": count, "minimum": requirement.photos_min},
                )
            )
        if requirement.photos_max and count > requirement.photos_max:
            flags.append(
                _flag(
                    submission,
                    FlagCode.MANY_PHOTOS,
                    Severity.INFO,
                    params={"count": count, "maximum": requirement.photos_max},
                )
            )
        if not photos:
            flags.append(
                _flag(submission, FlagCode.WRONG_FILES, params={"found": "documents", "wanted": "photos"})
            )
    if requirement.photos_total_max:
        total = Photo.objects.filter(
            submission__requirement=requirement, submission__unit=submission.unit, submission__is_current=True
        ).count()
        if total > requirement.photos_total_max:
            flags.append(
                _flag(
                    submission,
                    FlagCode.TOTAL_PHOTOS,
                    params={"total": total, "maximum": requirement.photos_total_max},
                )
            )
    if requirement.kind in DOCUMENT_KINDS and not any(d.kind == DocumentKind.DOCUMENT for d in documents):
        flags.append(
            _flag(submission, FlagCode.WRONG_FILES, params={"found": "photos", "wanted": "documents"})
        )
    if requirement.kind == MaterialKind.VIDEO and not any(d.kind == DocumentKind.VIDEO for d in documents):
        flags.append(_flag(submission, FlagCode.WRONG_FILES, params={"found": "files", "wanted": "video"}))
    if requirement.organiser_required and not submission.organiser.strip():
        flags.append(_flag(submission, FlagCode.NO_ORGANISER))
    flags.extend(_date_flags(submission))
    flags.extend(_word_flags(submission, documents))
    return flags


def _date_flags(submission: Submission) -> list[EvidenceFlag]:
    day: dt.date | None = submission.activity_date
    if day is None:
        return []
    start, end = submission.requirement.window()
    if not start <= day <= end:
        return [
            _flag(
                submission,
                FlagCode.OUTSIDE_WINDOW,
                params={"activity": day.isoformat(), "start": start.isoformat(), "end": end.isoformat()},
            )
        ]
    period = period_by_key(submission.requirement, submission.period)
    if period is not None and not period.contains(day):
        return [
            _flag(
                submission,
                FlagCode.OUTSIDE_PERIOD,
                params={"activity": day.isoformat(), "period": period.label},
            )
        ]
    return []


def _word_flags(submission: Submission, documents: list[Document]) -> list[EvidenceFlag]:
    requirement = submission.requirement
    if not (requirement.words_min or requirement.words_max):
        return []
    flags = []
    for document in documents:
        if document.kind != DocumentKind.DOCUMENT or document.extension == "xlsx":
            continue
        if document.words is None:
            flags.append(
                _flag(
                    submission,
                    FlagCode.WORDS_UNKNOWN,
                    Severity.INFO,
                    document=document,
                    params={"name": document.original_name},
                )
            )
        elif requirement.words_max and document.words > requirement.words_max:
            flags.append(
                _flag(
                    submission,
                    FlagCode.WORDS_OVER,
                    document=document,
                    params={"words": document.words, "maximum": requirement.words_max},
                )
            )
        elif requirement.words_min and document.words < requirement.words_min:
            flags.append(
                _flag(
                    submission,
                    FlagCode.WORDS_UNDER,
                    document=document,
                    params={"words": document.words, "minimum": requirement.words_min},
                )
            )
    return flags


def unreadable_flags(submission: Submission, photos: list[Photo]) -> list[EvidenceFlag]:
    """Photos the analysis gave up on (analysed, yet no hash): a person must look at them."""
    return [
        _flag(submission, FlagCode.UNREADABLE, photo=photo)
        for photo in photos
        if photo.analysed_at is not None and photo.phash is None
    ]


def flags_for(submission: Submission, photos: list[Photo], documents: list[Document]) -> list[EvidenceFlag]:
    return [
        *unreadable_flags(submission, photos),
        *reuse_flags(submission, photos),
        *time_flags(submission, photos),
        *place_flags(submission, photos),
        *people_flags(submission, photos),
        *rule_flags(submission, photos, documents),
    ]
