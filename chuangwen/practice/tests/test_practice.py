"""新时代文明实践 activity ledgers, point by point."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from chuangwen.core.errors import DomainError
from chuangwen.materials.tests.factories import photo_upload
from chuangwen.practice import services
from chuangwen.practice.models import LedgerEntry, StandardCheck
from chuangwen.practice.tests.fixtures import practice_world
from chuangwen.volunteers import services as volunteer_services
from chuangwen.volunteers.models import Activity
from chuangwen.volunteers.tests.fixtures import LAT, LNG, volunteer_world

pytestmark = pytest.mark.django_db


def _post(client, point, **extra):
    data = {
        "date": timezone.localdate().isoformat(),
        "theme": "morality",
        "title": "道德讲堂：孝老爱亲",
        "organiser": "松林一社区",
        "participants": "25",
        "idempotency_key": "k-ledger-1",
    }
    data.update(extra)
    return client.post(reverse("practice:point", kwargs={"pk": point.pk}), data)


def test_a_community_records_an_activity_with_photos_once_per_upload(world):
    pw = practice_world(world)
    client = world.client("liaison_a")
    response = _post(
        client, pw.station, photos=[photo_upload(1, name="a.jpg"), photo_upload(2, name="b.jpg")]
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(title="道德讲堂：孝老爱亲")
    assert entry.participants == 25 and entry.photos.count() == 2
    again = _post(client, pw.station, photos=[photo_upload(3)])
    assert again.status_code == 302 and LedgerEntry.objects.filter(title="道德讲堂：孝老爱亲").count() == 1
    photo = entry.photos.first()
    assert client.get(reverse("practice:photo", kwargs={"pk": photo.pk})).status_code == 200
    assert (
        world.client("liaison_b").get(reverse("practice:photo", kwargs={"pk": photo.pk})).status_code == 404
    )


def test_a_future_date_and_a_document_are_refused(world):
    pw = practice_world(world)
    client = world.client("liaison_a")
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert _post(client, pw.station, date=future, idempotency_key="k2").status_code == 400
    with pytest.raises(DomainError):
        services.add_entry(
            pw.station,
            world.office,
            services.EntryData(timezone.localdate(), "bogus", "x", "y", 1),
        )
    assert LedgerEntry.objects.count() == 1


def test_the_office_sees_points_falling_behind_the_rhythm(world):
    pw = practice_world(world)
    LedgerEntry.objects.filter(pk=pw.entry.pk).update(date=timezone.localdate() - dt.timedelta(days=45))
    rows = {r.point: r for r in services.rhythm(services.practice_points(pw.station.__class__.objects.all()))}
    assert set(rows) == {pw.station, pw.school_b}, "roads keep no practice ledger"
    assert rows[pw.station].last_30 == 0 and rows[pw.station].last_90 == 1 and rows[pw.station].behind
    page = world.client("office").get(reverse("practice:index") + "?behind=1").content.decode()
    assert pw.station.name in page and pw.school_b.name in page
    _post(world.client("liaison_a"), pw.station, idempotency_key="k3")
    page = world.client("office").get(reverse("practice:index") + "?behind=1").content.decode()
    assert pw.station.name not in page and pw.school_b.name in page
    # Street B's liaison sees only its own school.
    page_b = world.client("liaison_b").get(reverse("practice:index")).content.decode()
    assert pw.station.name not in page_b and pw.school_b.name in page_b


def test_the_position_standard_is_a_checklist_of_the_point(world):
    pw = practice_world(world)
    client = world.client("unit_admin_a")
    client.post(
        reverse("practice:standards", kwargs={"pk": pw.station.pk}),
        {"met_place": "on", "met_staff": "on", "note_services": "只有两项服务"},
    )
    checks = {c.item: c for c in StandardCheck.objects.filter(point=pw.station)}
    assert checks["place"].met and checks["staff"].met and not checks["services"].met
    assert checks["services"].note == "只有两项服务"
    assert (
        services.rhythm(services.practice_points(pw.station.__class__.objects.filter(pk=pw.station.pk)))[
            0
        ].standards_met
        == 2
    )
    assert (
        world.client("leader")
        .post(reverse("practice:standards", kwargs={"pk": pw.station.pk}), {})
        .status_code
        == 403
    )


def test_the_printed_ledger_lists_the_standard_and_every_activity(world):
    pw = practice_world(world)
    services.save_standards(pw.station, world.office, {"place": (True, "二楼")})
    response = world.client("leader").get(reverse("practice:export", kwargs={"pk": pw.station.pk}))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    flat = [c for row in rows for c in row if c is not None]
    assert pw.station.name in flat[0] and "二楼" in flat
    assert "党的二十大精神宣讲" in flat and 32 in flat


def test_a_volunteer_activity_at_the_point_becomes_an_entry_with_who_signed_in(world):
    pw = practice_world(world)
    vw = volunteer_world(world)
    now = timezone.now()
    activity = volunteer_services.save_activity(
        Activity(
            unit=world.community_a,
            title="家长学校·亲子阅读",
            address="实践站",
            point=pw.station,
            lat=LAT,
            lng=LNG,
            starts_at=now - dt.timedelta(hours=1),
            ends_at=now + dt.timedelta(hours=1),
        ),
        world.office,
    )
    volunteer_services.sign_in(activity, vw.volunteer, LAT, LNG)
    volunteer_services.sign_in(activity, vw.other, LAT, LNG)
    entry = services.entry_from_activity(pw.station, activity, world.liaison_a, "parents")
    assert entry.participants == 2 and entry.attendees == "周青禾、吴远山" and entry.activity == activity
    with pytest.raises(DomainError):
        services.entry_from_activity(pw.school_b, activity, world.office, "parents")


def test_the_practice_pages_are_in_chinese(world, chinese):
    from chuangwen.volunteers.tests.test_chinese import visible_words

    pw = practice_world(world)
    client = world.client("office")
    for url in (reverse("practice:index"), reverse("practice:point", kwargs={"pk": pw.station.pk})):
        response = client.get(url)
        assert response.status_code == 200
        assert not visible_words(response.content.decode()), url
