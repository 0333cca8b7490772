"""Praise/criticism lists from the figures through approval and publication, and the public
exposure board with its blurred photo copies."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from chuangwen.audit.models import AuditEntry
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.exposure import services
from chuangwen.exposure.blur import blurred_copy, parse_regions
from chuangwen.exposure.models import Exposure, Roll, RollKind, RollStatus
from chuangwen.notifications.models import Notification
from chuangwen.problems.models import Problem
from chuangwen.problems.models.media import CardColor, CardReason, UnitCard
from chuangwen.problems.tests.factories import photo, problem_in_street_a

pytestmark = pytest.mark.django_db


def _textured(width: int = 120, height: int = 90) -> bytes:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 255, size=(height, width, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=95)
    return out.getvalue()


def _overdue_problem(world, **extra) -> Problem:
    problem = problem_in_street_a(world, **extra)
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.now() - dt.timedelta(days=2))
    return problem


def _this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def test_proposal_from_figures_names_the_overdue_unit_with_its_card(
    world, django_capture_on_commit_callbacks
):
    _overdue_problem(world)
    UnitCard.objects.create(
        unit=world.street_a, campaign=world.campaign, color=CardColor.YELLOW, reason=CardReason.OVERDUE
    )
    praise, criticism = services.propose(world.campaign, _this_month(), world.office)
    entries = {e.unit_id: e for e in criticism.entries.all()}
    assert world.street_a.pk in entries
    assert entries[world.street_a.pk].proposed
    assert "1" in entries[world.street_a.pk].figures  # overdue 1
    assert not praise.entries.filter(unit=world.street_a).exists()
    assert AuditEntry.objects.filter(action="exposure.roll.propose").count() == 2


def test_edit_approve_publish_and_public_page(world, client, django_capture_on_commit_callbacks):
    _overdue_problem(world)
    _praise, roll = services.propose(world.campaign, _this_month(), world.office)
    services.add_entry(roll, world.street_b, "多次督办未落实", world.office)
    a_entry = roll.entries.get(unit=world.street_a)
    services.remove_entry(roll, a_entry.pk, world.office)
    # Re-proposing keeps the hand-added unit.
    services.propose(world.campaign, _this_month(), world.office)
    assert roll.entries.filter(unit=world.street_b, reason="多次督办未落实").exists()

    # Units do not see a draft; the public page does not show it.
    client.force_login(world.users["liaison_b"])
    assert client.get(reverse("exposure:roll", args=[roll.pk])).status_code == 404
    client.logout()
    assert "多次督办未落实" not in client.get(reverse("exposure:public_rolls")).content.decode()

    services.approve(roll, world.office)
    with pytest.raises(ConflictError):
        services.add_entry(roll, world.street_a, "x", world.office)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(roll, world.office, public=False)
    roll.refresh_from_db()
    assert roll.status == RollStatus.PUBLISHED and not roll.public
    assert Notification.objects.filter(user=world.users["liaison_b"]).exists()
    # Published internally: the unit sees it; still not public.
    client.force_login(world.users["liaison_b"])
    assert "多次督办未落实" in client.get(reverse("exposure:roll", args=[roll.pk])).content.decode()
    client.logout()
    assert "多次督办未落实" not in client.get(reverse("exposure:public_rolls")).content.decode()

    client.force_login(world.office)
    response = client.post(reverse("exposure:roll_action", args=[roll.pk]), {"action": "show"})
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("exposure:public_rolls")).content.decode()
    assert "多次督办未落实" in page and world.street_b.name in page
    assert set(
        AuditEntry.objects.filter(action__startswith="exposure.roll.").values_list("action", flat=True)
    ) >= {
        "exposure.roll.add",
        "exposure.roll.remove",
        "exposure.roll.approve",
        "exposure.roll.publish",
        "exposure.roll.public",
    }


def test_an_empty_list_cannot_be_approved(world):
    roll = Roll.objects.create(campaign=world.campaign, month=_this_month(), kind=RollKind.PRAISE)
    with pytest.raises(DomainError):
        services.approve(roll, world.office)


def test_propose_through_the_page(world, client):
    _overdue_problem(world)
    client.force_login(world.office)
    response = client.post(reverse("exposure:roll_propose"), {"month": f"{_this_month():%Y-%m}"})
    assert response.status_code == 302
    assert Roll.objects.filter(kind=RollKind.CRITICISM, entries__unit=world.street_a).exists()


def test_blurred_copy_differs_in_the_marked_region_only():
    data = _textured()
    copy, faces = blurred_copy(data, [(10, 10, 40, 30)])
    assert faces == 0
    before = np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=float)
    after = np.asarray(Image.open(io.BytesIO(copy)).convert("L"), dtype=float)
    inside = np.abs(before[14:36, 14:46] - after[14:36, 14:46]).mean()
    outside = np.abs(before[60:, 70:] - after[60:, 70:]).mean()
    assert inside > 30  # random texture flattened
    assert outside < 10  # only JPEG noise elsewhere
    assert Image.open(io.BytesIO(copy)).getexif() == {}


def test_parse_regions():
    assert parse_regions("1,2,3,4\n\n5，6，7，8") == [(1, 2, 3, 4), (5, 6, 7, 8)]
    with pytest.raises(ValueError):
        parse_regions("1,2,3")


def test_public_board_shows_published_copies_only_and_nothing_of_the_reporter(world, client):
    problem = problem_in_street_a(
        world,
        photos=[photo()],
        reporter_name="举报人甲某",
        reporter_phone="13912345678",
        description="举报人自述：我住在松林路8号",
    )
    original = problem.photos.first()
    client.force_login(world.office)
    response = client.post(
        reverse("exposure:expose"),
        {"problem": problem.pk, "title": "松林路占道未整改", "regions": "0,0,20,20"},
    )
    assert response.status_code == 302
    exposure = Exposure.objects.get(problem=problem)
    assert exposure.regions == [[0, 0, 20, 20]]
    assert exposure.before.name != original.original.name and exposure.before.name != original.display.name
    other = problem_in_street_a(world, photos=[photo()])
    withdrawn = services.expose(other, "已撤下的曝光", [], world.office)
    services.withdraw(withdrawn, world.office)
    client.logout()

    page = client.get(reverse("exposure:public_board")).content.decode()
    assert "松林路占道未整改" in page and world.street_a.name in page
    assert "已撤下的曝光" not in page
    for private in (
        "举报人甲某",
        "13912345678",
        "我住在松林路8号",
        original.original.name,
        original.display.name,
    ):
        assert private not in page
    assert client.get(reverse("exposure:public_photo", args=[exposure.pk, "before"])).status_code == 200
    assert client.get(reverse("exposure:public_photo", args=[withdrawn.pk, "before"])).status_code == 404
    assert client.get(reverse("exposure:public_photo", args=[exposure.pk, "after"])).status_code == 404
    assert AuditEntry.objects.filter(action="exposure.board.publish").count() == 2


def test_only_running_problems_are_exposed_once(world):
    problem = problem_in_street_a(world, photos=[photo()])
    services.expose(problem, "一", [], world.office)
    with pytest.raises(ConflictError):
        services.expose(problem, "二", [], world.office)
    with pytest.raises(DomainError):
        services.expose(problem_in_street_a(world), "无照片", [], world.office)


def test_after_photo_published_when_the_problem_closes(world, client, django_capture_on_commit_callbacks):
    from chuangwen.problems import services as problem_services
    from chuangwen.problems.models import Status

    problem = problem_in_street_a(world, photos=[photo()])
    exposure = services.expose(problem, "待整改", [], world.office)
    problem = problem_services.accept(problem, world.liaison_a, version=problem.version)
    problem = problem_services.start(problem, world.liaison_a, version=problem.version)
    problem = problem_services.submit(
        problem, world.liaison_a, measures="已清理", photos=[photo((0, 200, 0))], version=problem.version
    )
    assert "已整改" not in client.get(reverse("exposure:public_board")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        problem = problem_services.verify(
            problem, world.inspector, passed=True, note="整改到位", version=problem.version
        )
    assert problem.status == Status.CLOSED
    exposure.refresh_from_db()
    assert exposure.after
    assert client.get(reverse("exposure:public_photo", args=[exposure.pk, "after"])).status_code == 200
    page = client.get(reverse("exposure:public_board")).content.decode()
    assert reverse("exposure:public_photo", args=[exposure.pk, "after"]) in page


def test_faces_the_detector_finds_are_blurred(monkeypatch):
    """The face path of the child's code, run in this process with a detector that "finds" one
    face (no face photo ships with the tests)."""
    import cv2

    from chuangwen.exposure.blur import render_blurred

    class OneFace:
        def __init__(self, path: str) -> None:
            assert path.endswith("haarcascade_frontalface_default.xml")

        def empty(self) -> bool:
            return False

        def detectMultiScale(self, *args, **kwargs):  # noqa: N802 - OpenCV's name
            return np.array([[60, 40, 40, 40]])

    monkeypatch.setattr(cv2, "CascadeClassifier", OneFace)
    data = _textured()
    copy, faces = render_blurred(data, [])
    assert faces == 1
    before = np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=float)
    after = np.asarray(Image.open(io.BytesIO(copy)).convert("L"), dtype=float)
    assert np.abs(before[44:76, 64:96] - after[44:76, 64:96]).mean() > 30
    assert np.abs(before[5:30, 5:40] - after[5:30, 5:40]).mean() < 10


def test_the_bundled_cascade_loads():
    import cv2

    assert not cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml").empty()
