"""The reused-photo check resists the usual tricks (弄虚作假 is on the negative list): last
quarter's photo filed again mirrored, turned, trimmed at the border or cut to a corner is still
caught, and distinct photos are not confused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps

from chuangwen.materials.evidence.duplicates import How, near_duplicates
from chuangwen.materials.evidence.hashing import phash_image, turned_hashes, window_hashes, work_image
from chuangwen.materials.evidence.runner import run_checks
from chuangwen.materials.models import FlagCode, PhotoWindow
from chuangwen.materials.tests.factories import file_activity, make_requirement, scene

pytestmark = pytest.mark.django_db


def _crop(image, keep, ax=0.5, ay=0.5):
    w, h = image.size
    cw, ch = int(w * keep), int(h * keep)
    x, y = int((w - cw) * ax), int((h - ch) * ay)
    return image.crop((x, y, x + cw, y + ch))


TRICKS = {
    "mirror": (ImageOps.mirror, How.TURNED),
    "turned_90": (lambda i: i.rotate(90, expand=True), How.TURNED),
    "border_crop_10pct": (lambda i: _crop(i, 0.8), How.CROPPED),
    "corner_crop_25pct": (lambda i: _crop(i, 0.75, 0.0, 1.0), How.CROPPED),
}


def _jpeg(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _refile(world, req_b, image):
    return file_activity(
        world,
        req_b,
        user="liaison_b",
        unit=world.street_b,
        seeds=(23,),
        uploads=[SimpleUploadedFile("copy.jpg", _jpeg(image), "image/jpeg")],
    )


@pytest.mark.parametrize("trick", list(TRICKS))
def test_it_flags_a_photo_reused_mirrored_turned_or_cropped_by_another_unit(world, trick):
    change, how = TRICKS[trick]
    first = file_activity(world, make_requirement(world), seeds=(21, 22))
    run_checks(first.pk)
    original = first.photos.get(seq=1)
    assert PhotoWindow.objects.filter(photo=original).count() == 8  # its windows are kept
    second = _refile(world, make_requirement(world, unit=world.street_b), change(scene(21)))
    run_checks(second.pk)
    flags = [f for f in second.flags.all() if f.code == FlagCode.REUSED]
    assert [(f.other_photo_id, f.params["how"]) for f in flags] == [(original.pk, how)]
    words = {How.TURNED: "mirrored or turned", How.CROPPED: "cropped"}
    assert world.street_a.name in flags[0].message and words[how] in flags[0].message


def test_a_plain_phash_lookup_alone_misses_those_tricks_but_not_a_resized_copy(world):
    first = file_activity(world, make_requirement(world), seeds=(21,))
    run_checks(first.pk)
    for change, _how in TRICKS.values():
        with Image.open(io.BytesIO(_jpeg(change(scene(21))))) as image:
            work = work_image(image)
        plain = phash_image(work)
        assert near_duplicates(plain) == []
        found = near_duplicates(plain, turned=turned_hashes(work), windows=window_hashes(work))
        assert [m.photo_id for m in found] == [first.photos.get().pk]


def test_distinct_photos_are_not_matched_through_the_variants(world):
    first = file_activity(world, make_requirement(world), seeds=(31, 32, 33, 34))
    run_checks(first.pk)
    second = file_activity(
        world,
        make_requirement(world, unit=world.street_b),
        user="liaison_b",
        unit=world.street_b,
        seeds=(41, 42, 43),
    )
    run_checks(second.pk)
    assert not [f for f in second.flags.all() if f.code in (FlagCode.REUSED, FlagCode.REPEATED)]


def test_a_flag_raised_before_the_variants_still_reads_as_a_plain_copy(world):
    from chuangwen.materials.models import EvidenceFlag

    flag = EvidenceFlag(
        code=FlagCode.REUSED, params={"bits": 2, "other": "x", "unit": "松林街道", "date": "2026-01-01"}
    )
    assert "as filed" in flag.message


def test_photos_stored_before_window_hashes_get_them_from_the_command(world):
    from django.core.management import call_command

    first = file_activity(world, make_requirement(world), seeds=(51, 52))
    run_checks(first.pk)
    PhotoWindow.objects.all().delete()  # as before this change
    out = io.StringIO()
    call_command("photo_windows", stdout=out)
    assert "2 photos hashed, 0 unreadable" in out.getvalue()
    assert PhotoWindow.objects.filter(photo__submission=first).count() == 16
