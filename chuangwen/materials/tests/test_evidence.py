import datetime as dt

import numpy as np
import pytest
from PIL import Image

from chuangwen.materials.evidence.documents import count_words, docx_text, docx_words, office_kind, pdf_words
from chuangwen.materials.evidence.duplicates import near_duplicates
from chuangwen.materials.evidence.exif import gps_of
from chuangwen.materials.evidence.hashing import hash_fields
from chuangwen.materials.evidence.people import PeopleCount, count_people, grey_array
from chuangwen.materials.evidence.runner import run_checks
from chuangwen.materials.models import ChecksState, FlagCode, Photo, Severity
from chuangwen.materials.tests.factories import (
    docx_bytes,
    file_activity,
    jpeg,
    make_requirement,
    photo_upload,
    scene,
)
from chuangwen.tests.matrix import page  # noqa: F401 - the matrix module must import cleanly

TODAY = dt.date.today()
PLACE = (30.2741, 120.1551)


def codes(submission):
    return sorted(f.code for f in submission.flags.all())


def test_gps_is_read_from_exif_and_a_missing_block_gives_none():
    import io

    with Image.open(io.BytesIO(jpeg(scene(1), gps=PLACE))) as image:
        lat, lng = gps_of(image)
    assert abs(lat - PLACE[0]) < 1e-5 and abs(lng - PLACE[1]) < 1e-5
    with Image.open(io.BytesIO(jpeg(scene(1)))) as image:
        assert gps_of(image) is None


def test_the_people_detector_runs_on_a_photo_and_returns_counts():
    grey = grey_array(scene(3, (1200, 900)))
    assert grey.dtype == np.uint8 and max(grey.shape) <= 960
    result = count_people(grey)
    assert isinstance(result.faces, int) and isinstance(result.bodies, int)
    assert result.estimate == max(result.faces, result.bodies) >= 0


def test_people_estimate_is_the_larger_of_faces_and_bodies():
    assert PeopleCount(faces=7, bodies=3).estimate == 7


def test_word_count_counts_each_chinese_character_and_each_latin_word():
    assert count_words("创建文明城市 in 2024，共3次！") == 6 + 1 + 1 + 3
    data = docx_bytes("松林街道开展活动\nWe did it")
    assert office_kind(data) == "docx"
    assert docx_text(data).splitlines() == ["松林街道开展活动", "We did it"]
    assert docx_words(data) == 8 + 3


def test_a_docx_declaring_entities_is_not_parsed():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    assert docx_words(out.getvalue()) is None


def _flag(submission, code):
    return next(f for f in submission.flags.all() if f.code == code)


def test_a_photo_taken_days_before_the_activity_is_flagged_and_one_without_exif_is_unverifiable(world):
    req = make_requirement(world)
    taken = dt.datetime.combine(TODAY - dt.timedelta(days=9), dt.time(10))
    sub = file_activity(world, req, seeds=(), uploads=[photo_upload(1, taken=taken), photo_upload(2)])
    run_checks(sub.pk)
    outside = _flag(sub, FlagCode.TAKEN_OUTSIDE)
    assert outside.photo.seq == 1 and outside.params["days"] == 9
    assert "9 days" in outside.message
    unknown = _flag(sub, FlagCode.TAKEN_UNKNOWN)
    assert unknown.photo.seq == 2 and unknown.severity == Severity.INFO


def test_a_photo_within_three_days_of_the_activity_raises_no_time_flag(world):
    req = make_requirement(world)
    taken = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(23, 30))
    sub = file_activity(
        world, req, seeds=(), uploads=[photo_upload(1, taken=taken), photo_upload(2, taken=taken)]
    )
    run_checks(sub.pk)
    assert FlagCode.TAKEN_OUTSIDE not in codes(sub) and FlagCode.TAKEN_UNKNOWN not in codes(sub)


def test_a_photo_taken_far_from_the_stated_place_shows_the_distance(world):
    req = make_requirement(world)
    far = (PLACE[0] + 0.05, PLACE[1])  # about 5.6 km north
    sub = file_activity(
        world,
        req,
        seeds=(),
        uploads=[photo_upload(1, gps=far), photo_upload(2, gps=PLACE)],
        latitude=str(PLACE[0]),
        longitude=str(PLACE[1]),
    )
    run_checks(sub.pk)
    flag = _flag(sub, FlagCode.FAR_FROM_PLACE)
    assert flag.photo.seq == 1 and 5400 < flag.params["metres"] < 5700
    assert "5.6 km" in flag.message
    assert [f.photo.seq for f in sub.flags.all() if f.code == FlagCode.FAR_FROM_PLACE] == [1]


def test_it_flags_a_photo_reused_from_another_unit_with_a_link_to_it(world):
    req_a = make_requirement(world)
    req_b = make_requirement(world, unit=world.street_b)
    first = file_activity(world, req_a, seeds=(21, 22))
    run_checks(first.pk)
    assert FlagCode.REUSED not in codes(first)
    # Street B files a resized, recompressed copy of street A's photo.
    import io

    copy = io.BytesIO()
    scene(21).resize((480, 360)).save(copy, "JPEG", quality=55)
    from django.core.files.uploadedfile import SimpleUploadedFile

    second = file_activity(
        world,
        req_b,
        user="liaison_b",
        unit=world.street_b,
        seeds=(23,),
        uploads=[SimpleUploadedFile("copy.jpg", copy.getvalue(), "image/jpeg")],
    )
    run_checks(second.pk)
    flag = _flag(second, FlagCode.REUSED)
    assert flag.severity == Severity.DANGER
    assert flag.other_submission == first and flag.other_photo.seq == 1
    assert world.street_a.name in flag.message


def test_the_same_picture_twice_in_one_submission_is_flagged_once(world):
    req = make_requirement(world)
    sub = file_activity(world, req, seeds=(5, 5, 6))
    run_checks(sub.pk)
    repeated = [f for f in sub.flags.all() if f.code == FlagCode.REPEATED]
    assert [(f.photo.seq, f.other_photo.seq) for f in repeated] == [(2, 1)]
    assert FlagCode.REUSED not in codes(sub)


def test_the_near_duplicate_lookup_through_the_index_matches_a_scan(world):
    import random

    req = make_requirement(world)
    sub = file_activity(world, req, seeds=(1,))
    rnd = random.Random(3)
    base = rnd.getrandbits(64)
    stored = []
    for i in range(400):
        value = base
        if i % 4 == 0:
            for bit in rnd.sample(range(64), rnd.randrange(0, 14)):
                value ^= 1 << bit
        else:
            value = rnd.getrandbits(64)
        stored.append(
            Photo(
                submission=sub,
                seq=100 + i,
                original="x.jpg",
                display="x.jpg",
                original_name="x.jpg",
                content_type="image/jpeg",
                size=1,
                width=1,
                height=1,
                sha256="0" * 64,
                **hash_fields(value),
            )
        )
    Photo.objects.bulk_create(stored)
    from chuangwen.materials.evidence.hashing import distance, to_signed

    rows = Photo.objects.exclude(phash=None).values_list("pk", "phash")
    expected = sorted(pk for pk, h in rows if distance(to_signed(base), h) <= 10)
    assert expected  # the test data holds near copies
    assert sorted(m.photo_id for m in near_duplicates(base, 10)) == expected


def test_fewer_people_visible_than_the_minimum_is_a_flag_never_a_rejection(world):
    req = make_requirement(world, min_participants=10)
    sub = file_activity(world, req, seeds=(1, 2), participants=12)
    run_checks(sub.pk)
    Photo.objects.filter(submission=sub).update(people=4)
    from chuangwen.materials.evidence.rules import people_flags

    flags = people_flags(sub, list(sub.photos.all()))
    assert [f.code for f in flags] == [FlagCode.FEW_PEOPLE]
    assert flags[0].params == {"visible": 4, "minimum": 10, "claimed": 12}
    Photo.objects.filter(submission=sub, seq=2).update(people=11)
    assert people_flags(sub, list(sub.photos.all())) == []
    sub.refresh_from_db()
    assert sub.status == "first"  # still waiting for review


def test_rule_flags_name_too_few_photos_a_missing_organiser_and_too_few_participants(world):
    req = make_requirement(world, photos_min=3, photos_total_max=4)
    file_activity(world, req, seeds=(31, 32))
    sub = file_activity(world, req, seeds=(33,), organiser="", participants=6)
    run_checks(sub.pk)
    found = codes(sub)
    for code in (FlagCode.FEW_PHOTOS, FlagCode.NO_ORGANISER, FlagCode.FEW_PARTICIPANTS):
        assert code in found
    assert FlagCode.TOTAL_PHOTOS not in found
    third = file_activity(world, req, seeds=(34, 35))
    run_checks(third.pk)
    assert _flag(third, FlagCode.TOTAL_PHOTOS).params == {"total": 5, "maximum": 4}


def test_a_report_over_its_word_limit_is_flagged_with_the_count(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangwen.materials import services
    from chuangwen.materials.models import MaterialKind

    req = make_requirement(
        world,
        kind=MaterialKind.REPORT,
        cadence="once",
        words_max=10,
        photos_min=None,
        min_participants=None,
        organiser_required=False,
    )
    sub, _ = services.submit(
        actor=world.liaison_a,
        requirement=req,
        unit=world.street_a,
        data=services.ActivityData(title="说明报告"),
        uploads=[
            SimpleUploadedFile(
                "说明.docx", docx_bytes("松林街道开展诚信建设工作情况说明"), "application/octet-stream"
            )
        ],
    )
    run_checks(sub.pk)
    flag = _flag(sub, FlagCode.WORDS_OVER)
    assert flag.params == {"words": 16, "maximum": 10}
    assert sub.documents.get().words == 16


def test_checks_mark_the_submission_done_and_count_the_flags_that_matter(world):
    req = make_requirement(world)
    sub = file_activity(world, req, seeds=(1, 2), organiser="")
    run_checks(sub.pk)
    sub.refresh_from_db()
    assert sub.checks_state == ChecksState.DONE and sub.checks_done_at is not None
    assert sub.flag_count == sum(1 for f in sub.flags.all() if f.severity != Severity.INFO) >= 1
    photo = sub.photos.first()
    assert photo.phash is not None and photo.people is not None and photo.analysed_at is not None


@pytest.mark.django_db
def test_the_background_job_runs_the_checks_after_the_upload_commits(
    world, django_capture_on_commit_callbacks
):
    req = make_requirement(world)
    with django_capture_on_commit_callbacks(execute=True):
        sub = file_activity(world, req, seeds=(1, 2))
    sub.refresh_from_db()
    assert sub.checks_state == ChecksState.DONE


def test_a_pdf_reports_words_come_from_its_text_layer_and_a_scan_has_none():
    from chuangwen.materials.tests.factories import text_pdf

    assert pdf_words(text_pdf("Monthly report of the street", "3 activities held")) == 5 + 3
    assert pdf_words(text_pdf()) is None  # no text layer (a scan): unknown, not zero
    assert pdf_words(b"%PDF-1.4 broken") is None


def test_a_pdf_report_under_its_word_minimum_is_flagged_with_the_count(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangwen.materials import services
    from chuangwen.materials.models import MaterialKind
    from chuangwen.materials.tests.factories import text_pdf

    req = make_requirement(
        world,
        kind=MaterialKind.REPORT,
        cadence="once",
        words_min=100,
        photos_min=None,
        min_participants=None,
        organiser_required=False,
    )
    sub, _ = services.submit(
        actor=world.liaison_a,
        requirement=req,
        unit=world.street_a,
        data=services.ActivityData(title="Work summary"),
        uploads=[SimpleUploadedFile("summary.pdf", text_pdf("Work summary of the year"), "application/pdf")],
    )
    run_checks(sub.pk)
    assert _flag(sub, FlagCode.WORDS_UNDER).params == {"words": 5, "minimum": 100}
    assert sub.documents.get().words == 5


def test_a_reused_photo_flag_tells_another_unit_only_the_date_and_the_office_the_link(world):
    """Issue 23: the flag named street A's filing and linked to it on street B's page."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from django.utils import timezone

    first = file_activity(world, make_requirement(world), seeds=(31, 32), title="松林诚信集市活动")
    run_checks(first.pk)
    copy = io.BytesIO()
    scene(31).resize((480, 360)).save(copy, "JPEG", quality=55)
    second = file_activity(
        world,
        make_requirement(world, unit=world.street_b),
        user="liaison_b",
        unit=world.street_b,
        seeds=(33,),
        place="柳岸广场",
        organiser="柳岸街道办事处",
        uploads=[SimpleUploadedFile("copy.jpg", copy.getvalue(), "image/jpeg")],
    )
    run_checks(second.pk)
    assert FlagCode.REUSED in codes(second)
    filed_on = timezone.localdate(first.submitted_at).isoformat()
    link = reverse("materials:submission", args=[first.pk])

    sibling = (
        world.client("liaison_b").get(reverse("materials:submission", args=[second.pk])).content.decode()
    )
    assert f"This photo was already filed by another unit on {filed_on}." in sibling
    assert "松林诚信集市活动" not in sibling
    assert world.street_a.name not in sibling
    assert link not in sibling
    api = world.client("liaison_b").get(f"/api/materials/submissions/{second.pk}").json()
    (reused,) = [f for f in api["flags"] if f["code"] == FlagCode.REUSED]
    assert reused["other_submission_id"] is None
    assert reused["message"] == f"This photo was already filed by another unit on {filed_on}."

    office = world.client("office").get(reverse("materials:submission", args=[second.pk])).content.decode()
    assert "松林诚信集市活动" in office and world.street_a.name in office and link in office
    api = world.client("office").get(f"/api/materials/submissions/{second.pk}").json()
    (reused,) = [f for f in api["flags"] if f["code"] == FlagCode.REUSED]
    assert reused["other_submission_id"] == first.pk and "松林诚信集市活动" in reused["message"]


def test_a_reused_photo_flag_still_names_nothing_to_another_unit_once_the_first_filing_is_gone(world):
    """The flag keeps the title and unit in its params; with the other filing deleted (its link
    set to null) the sibling unit was shown the whole message again."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    first = file_activity(world, make_requirement(world), seeds=(41, 42), title="松林诚信集市活动")
    run_checks(first.pk)
    copy = io.BytesIO()
    scene(41).resize((480, 360)).save(copy, "JPEG", quality=55)
    second = file_activity(
        world,
        make_requirement(world, unit=world.street_b),
        user="liaison_b",
        unit=world.street_b,
        seeds=(43,),
        place="柳岸广场",
        organiser="柳岸街道办事处",
        uploads=[SimpleUploadedFile("copy.jpg", copy.getvalue(), "image/jpeg")],
    )
    run_checks(second.pk)
    assert FlagCode.REUSED in codes(second)
    first.delete()

    sibling = (
        world.client("liaison_b").get(reverse("materials:submission", args=[second.pk])).content.decode()
    )
    assert "This photo was already filed by another unit on" in sibling
    shown = sibling[sibling.index("This photo was already filed") - 300 :]
    assert "松林诚信集市活动" not in sibling and world.street_a.name not in sibling, shown[:800]
    api = world.client("liaison_b").get(f"/api/materials/submissions/{second.pk}").json()
    (reused,) = [f for f in api["flags"] if f["code"] == FlagCode.REUSED]
    assert "松林诚信集市活动" not in reused["message"]
    office = world.client("office").get(reverse("materials:submission", args=[second.pk])).content.decode()
    assert "松林诚信集市活动" in office
