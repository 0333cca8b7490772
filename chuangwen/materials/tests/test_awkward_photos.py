"""The evidence checks against photos of every awkward size and kind (issue 23): the process
running them survives each, and a photo they cannot read is flagged for a person."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from chuangwen.core.isolation import run_isolated
from chuangwen.core.tests.awkward import _encode, _gradient, awkward_images
from chuangwen.materials.evidence.people import photo_facts
from chuangwen.materials.evidence.runner import run_checks
from chuangwen.materials.models import ChecksState, FlagCode
from chuangwen.materials.tests.factories import file_activity, make_requirement


@pytest.mark.parametrize("size", [(80, 60), (64, 64), (63, 127), (1, 1), (30000, 1)])
def test_the_people_detectors_never_run_on_a_photo_smaller_than_their_window(size):
    # Isolated so that a regression fails this test instead of killing the test run: OpenCV's
    # HOG detector segfaulted ("double free or corruption") on an 80×60 photo.
    facts = run_isolated(photo_facts, _encode(_gradient(size), "PNG"))
    assert facts["bodies"] == 0 and facts["faces"] == 0 and facts["phash"] is not None


def test_the_evidence_checks_survive_every_awkward_photo_and_flag_the_unreadable_ones(world):
    submission = file_activity(world, make_requirement(world), seeds=(1,))
    photo = submission.photos.get()
    outcomes = {}
    for name, data in awkward_images().items():
        photo.original.save(f"awkward-{name}", ContentFile(data), save=False)
        photo.analysed_at = None
        photo.phash = None
        photo.save()
        run_checks(submission.pk)
        submission.refresh_from_db()
        photo.refresh_from_db()
        assert submission.checks_state == ChecksState.DONE, name
        unreadable = submission.flags.filter(code=FlagCode.UNREADABLE, photo=photo).first()
        outcomes[name] = unreadable.message if unreadable else photo.people
    assert outcomes == dict.fromkeys(awkward_images(), 0) | {
        "truncated.jpg": "The checks could not read this photo (damaged or unusual file): look at it yourself."
    }
