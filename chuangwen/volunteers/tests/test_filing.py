"""A volunteer activity filed as material evidence in one step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangwen.materials.models import Submission
from chuangwen.materials.tests.factories import make_requirement, photo_upload
from chuangwen.volunteers.models import Activity
from chuangwen.volunteers.tests.fixtures import volunteer_world

pytestmark = pytest.mark.django_db


def test_an_activity_is_filed_with_its_organiser_and_headcount_from_sign_ins(world):
    vw = volunteer_world(world)
    requirement = make_requirement(world)  # assigned to street A, above the organiser (community A)
    client = world.client("liaison_a")
    url = reverse("volunteers:activity_file", kwargs={"pk": vw.activity.pk})
    page = client.get(url).content.decode()
    assert requirement.title in page
    response = client.post(
        url,
        {
            "requirement": requirement.pk,
            "idempotency_key": "k-volunteer-file-1",
            "files": [photo_upload(1, name="a.jpg"), photo_upload(2, name="b.jpg")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    submission = Submission.objects.get()
    assert submission.unit == world.street_a and submission.requirement == requirement
    assert submission.participants == 1, "one volunteer signed in"
    assert submission.organiser == world.community_a.name
    assert submission.title == vw.activity.title and submission.photos.count() == 2
    assert Activity.objects.get(pk=vw.activity.pk).submission_id == submission.pk
    # The same upload sent again files nothing twice.
    again = client.post(
        url,
        {"requirement": requirement.pk, "idempotency_key": "k-volunteer-file-1", "files": [photo_upload(1)]},
    )
    assert again.status_code == 302 and Submission.objects.count() == 1


def test_a_requirement_not_assigned_to_the_organiser_is_refused(world):
    vw = volunteer_world(world)
    other = make_requirement(world, unit=world.street_b)
    response = world.client("liaison_a").post(
        reverse("volunteers:activity_file", kwargs={"pk": vw.activity.pk}),
        {"requirement": other.pk, "files": [photo_upload(3)]},
    )
    assert response.status_code == 400 and not Submission.objects.exists()
