"""Duty: rosters make shifts, check-ins are flagged not refused, logs store once, records and attendance."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chuangwen.core.errors import DomainError
from chuangwen.org.models import Person
from chuangwen.points import duty
from chuangwen.points.duty_reports import attendance
from chuangwen.points.models import CheckIn, DutyLog, DutyLogPhoto, DutyRoster, DutyShift
from chuangwen.points.tests.fixtures import POINT_LAT, POINT_LNG, jpeg

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def test_a_roster_creates_one_shift_per_day_and_window_with_its_people(world, field):
    client = world.client("unit_admin_a")
    start = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("points:roster_new"),
        {
            "point": field.point.pk,
            "unit": world.community_a.pk,
            "name": "早晚高峰劝导",
            "start_date": start,
            "end_date": start + dt.timedelta(days=6),
            "weekday_list": ["1", "2", "3", "4", "5"],
            "window_text": "07:00-09:00；17:00-19:00",
            "required_count": 2,
            "people": [world.person_a.pk],
        },
    )
    assert response.status_code == 302
    roster = DutyRoster.objects.get(name="早晚高峰劝导")
    assert roster.shifts.count() == 5 * 2
    assert all(list(s.people.all()) == [world.person_a] for s in roster.shifts.all())
    # Saving again adds nothing: existing shifts are kept as they are.
    assert duty.generate_shifts(roster) == 0


def test_bad_time_windows_are_refused_with_an_example(world, field):
    rosters, shifts = DutyRoster.objects.count(), DutyShift.objects.count()
    response = world.client("office").post(
        reverse("points:roster_new"),
        {
            "point": field.point.pk,
            "unit": world.community_a.pk,
            "name": "x",
            "start_date": "2025-05-01",
            "end_date": "2025-05-02",
            "weekday_list": ["1"],
            "window_text": "morning",
            "required_count": 1,
        },
    )
    assert response.status_code == 200 and "07:00-09:00" in response.content.decode()
    # Refused means nothing was created: no roster named "x", no shift beyond the fixture's.
    assert not DutyRoster.objects.filter(name="x").exists()
    assert (DutyRoster.objects.count(), DutyShift.objects.count()) == (rosters, shifts)


def test_checking_in_near_the_point_is_not_flagged_and_a_second_tap_stores_once(world, field):
    client = world.client("duty_a")
    url = reverse("points:check_in", args=[field.shift.pk])
    first = client.post(url, {"lat": POINT_LAT + 0.0005, "lng": POINT_LNG}, **JSON)
    second = client.post(url, {"lat": POINT_LAT, "lng": POINT_LNG}, **JSON)
    assert first.status_code == second.status_code == 200
    assert json.loads(first.content)["flagged"] is False
    checkin = CheckIn.objects.get()
    assert 50 < checkin.in_distance_m < 60 and not checkin.in_outside


def test_checking_in_far_from_the_point_is_flagged_not_refused(world, field):
    response = world.client("duty_a").post(
        reverse("points:check_in", args=[field.shift.pk]), {"lat": POINT_LAT + 0.01, "lng": POINT_LNG}, **JSON
    )
    body = json.loads(response.content)
    assert response.status_code == 200 and body["ok"] and body["flagged"]
    assert "1112" in body["message"] or "flagged" in body["message"]
    assert CheckIn.objects.get().in_outside


def test_someone_not_on_the_roster_is_refused_with_their_name_in_the_message(world, field):
    other = Person.objects.create(name="柳小岸二", unit=world.community_a, user=world.enumerator_a)
    with pytest.raises(DomainError, match="柳小岸二 is not on the roster"):
        duty.check_in(field.shift, world.enumerator_a, POINT_LAT, POINT_LNG)
    assert other.checkins.count() == 0


def test_a_login_without_a_person_is_told_to_ask_for_a_link(world, field):
    with pytest.raises(DomainError, match="not linked to a person"):
        duty.check_in(field.shift, world.office, POINT_LAT, POINT_LNG)


@pytest.mark.parametrize(("lat", "lng"), [("", ""), (0, 0), (95, 120)])
def test_a_missing_or_absurd_gps_fix_is_refused_with_advice(world, field, lat, lng):
    response = world.client("duty_a").post(
        reverse("points:check_in", args=[field.shift.pk]), {"lat": lat, "lng": lng}, **JSON
    )
    assert response.status_code == 400 and json.loads(response.content)["message"]
    assert not CheckIn.objects.exists()


def test_check_in_outside_the_shift_hours_is_refused(world, field):
    late = timezone.make_aware(dt.datetime.combine(field.shift.date + dt.timedelta(days=1), dt.time(12)))
    with pytest.raises(DomainError, match="ended"):
        duty.check_in(field.shift, world.duty_a, POINT_LAT, POINT_LNG, now=late)


def test_check_out_records_the_position_and_needs_a_check_in_first(world, field):
    with pytest.raises(DomainError, match="not checked in"):
        duty.check_out(field.shift, world.duty_a, POINT_LAT, POINT_LNG)
    duty.check_in(field.shift, world.duty_a, POINT_LAT, POINT_LNG)
    checkin = duty.check_out(field.shift, world.duty_a, POINT_LAT + 0.01, POINT_LNG)
    assert checkin.checked_out_at and checkin.out_outside and checkin.flagged


def test_a_duty_log_with_photos_is_stored_once_for_one_client_key(world, field):
    client = world.client("duty_a")
    url = reverse("points:duty_log_new", args=[field.point.pk])

    def post():
        photo = io.BytesIO(jpeg())
        photo.name = "a.jpg"
        return client.post(
            url,
            {
                "category": "small_ads",
                "count": 12,
                "note": "清理电线杆小广告",
                "client_key": "k-1",
                "photos": [photo],
                "shift": field.shift.pk,
            },
            **JSON,
        )

    assert post().status_code == 200 and post().status_code == 200
    entry = DutyLog.objects.get(client_key="k-1")
    assert entry.count == 12 and entry.photos.count() == 1 and entry.unit == world.community_a
    photo = entry.photos.get()
    assert photo.original.read()[:3] == b"\xff\xd8\xff"
    assert client.get(reverse("points:duty_photo", args=[photo.pk])).status_code == 200
    photo.refresh_from_db()
    assert photo.display  # made on first view when no worker has run yet


def test_a_duty_log_with_a_fake_photo_is_refused_and_nothing_is_stored(world, field):
    fake = io.BytesIO(b"MZ this is an exe")
    fake.name = "photo.jpg"
    response = world.client("duty_a").post(
        reverse("points:duty_log_new", args=[field.point.pk]),
        {"category": "smoking", "count": 1, "client_key": "k-2", "photos": [fake]},
        **JSON,
    )
    assert response.status_code == 400 and "photo.jpg" in json.loads(response.content)["message"]
    assert not DutyLog.objects.filter(client_key="k-2").exists()
    assert DutyLogPhoto.objects.count() == 1  # only the fixture's


def test_the_duty_record_sheet_lists_shifts_check_ins_and_log_totals(world, field):
    duty.check_in(field.shift, world.duty_a, POINT_LAT + 0.01, POINT_LNG)
    response = world.client("liaison_a").get(
        reverse("points:duty_record", args=[field.point.pk]) + f"?date={field.shift.date:%Y-%m-%d}"
    )
    assert response.status_code == 200
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    text = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)
    assert "松林大道" in text and "林小松" in text
    assert "outside the radius" in text or "范围" in text
    assert "3" in text  # the fixture's log: 3 traffic persuasions


def test_attendance_flags_a_missed_shift_against_the_persons_unit(world, field):
    yesterday = field.shift.date - dt.timedelta(days=1)
    missed = DutyShift.objects.create(
        roster=field.roster, point=field.point, date=yesterday, start_time=dt.time(7), end_time=dt.time(9)
    )
    missed.people.add(world.person_a)
    result = attendance(DutyShift.objects.all())
    row = result.units[0]
    assert row.unit_name == world.community_a.name
    assert (row.assigned, row.missed) == (2, 1)
    assert result.missed == [(missed, world.person_a)]
    page = world.client("unit_admin_a").get(
        reverse("points:attendance") + f"?start={yesterday}&end={yesterday}"
    )
    assert "07:00" in page.content.decode()


def test_my_duty_shows_todays_shift_with_a_check_in_button(world, field):
    html = world.client("duty_a").get(reverse("points:my_duty")).content.decode()
    assert "松林大道" in html and reverse("points:check_in", args=[field.shift.pk]) in html
    assert "<script>" not in html


def test_home_page_tells_the_person_on_duty_about_todays_shift(world, field):
    html = world.client("duty_a").get(reverse("core:home")).content.decode()
    assert reverse("points:my_duty") in html


def test_one_shift_is_restaffed_without_touching_the_roster(world, field):
    substitute = Person.objects.create(name="松林替班", unit=world.community_a)
    response = world.client("unit_admin_a").post(
        reverse("points:shift_edit", args=[field.shift.pk]), {"people": [substitute.pk], "required_count": 2}
    )
    assert response.status_code == 302
    field.shift.refresh_from_db()
    assert list(field.shift.people.all()) == [substitute] and field.shift.required_count == 2
    assert list(field.roster.people.all()) == [world.person_a]
    with pytest.raises(DomainError, match="not on the roster"):
        duty.check_in(field.shift, world.duty_a, POINT_LAT, POINT_LNG)
