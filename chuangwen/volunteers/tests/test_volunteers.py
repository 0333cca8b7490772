"""Volunteers: sign-in and sign-out, hours, stars, privacy, figures, pages and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from chuangwen.core.errors import DomainError
from chuangwen.volunteers import figures, services
from chuangwen.volunteers.models import (
    Activity,
    RecordStatus,
    ServiceRecord,
    Volunteer,
    hours_to_next_star,
    star_level,
)
from chuangwen.volunteers.tests.fixtures import LAT, LNG, volunteer_world

pytestmark = pytest.mark.django_db


def _activity(world, **extra) -> Activity:
    now = timezone.now()
    values = {
        "unit": world.community_a,
        "title": "清洁家园",
        "category": "cleaning",
        "address": "松林公园",
        "lat": LAT,
        "lng": LNG,
        "starts_at": now - dt.timedelta(minutes=30),
        "ends_at": now + dt.timedelta(hours=2),
    }
    values.update(extra)
    return services.save_activity(Activity(**values), world.office)


def test_star_levels_follow_the_national_scale():
    assert [star_level(h) for h in (0, 99.9, 100, 299, 300, 600, 999, 1000, 1499, 1500, 5000)] == [
        0,
        0,
        1,
        1,
        2,
        3,
        3,
        4,
        4,
        5,
        5,
    ]
    assert hours_to_next_star(Decimal("250")) == Decimal("50")
    assert hours_to_next_star(1500) is None


def test_hours_come_from_sign_in_and_out_clipped_to_the_activity(world):
    vw = volunteer_world(world)
    # Signed in at the start (3 h before now), out 1 h before now: 2 hours.
    assert vw.record.computed_hours == Decimal("2.0")
    assert vw.record.status == RecordStatus.SIGNED_OUT
    activity = _activity(world)
    early = activity.starts_at - dt.timedelta(minutes=40)
    services.sign_in(activity, vw.other, LAT, LNG, now=early)
    record = services.sign_out(
        activity, vw.other, LAT, LNG, now=activity.starts_at + dt.timedelta(minutes=90)
    )
    assert record.computed_hours == Decimal("1.5"), "the 40 minutes before the start do not count"


def test_a_second_tap_returns_the_first_sign_in_and_sign_out_changes_nothing(world):
    vw = volunteer_world(world)
    activity = _activity(world)
    first, created = services.sign_in(activity, vw.other, LAT, LNG)
    again, created_again = services.sign_in(activity, vw.other, LAT + 0.1, LNG)
    assert created and not created_again and again.pk == first.pk
    assert ServiceRecord.objects.filter(activity=activity, volunteer=vw.other).count() == 1
    out = services.sign_out(activity, vw.other, LAT, LNG)
    out_again = services.sign_out(activity, vw.other, LAT, LNG, now=timezone.now() + dt.timedelta(minutes=30))
    assert out_again.signed_out_at == out.signed_out_at


def test_a_sign_in_far_away_is_flagged_and_one_without_a_position_refused(world):
    vw = volunteer_world(world)
    activity = _activity(world)
    with pytest.raises(DomainError, match="location"):
        services.sign_in(activity, vw.other, "", "")
    record, _created = services.sign_in(activity, vw.other, LAT + 0.02, LNG)
    assert record.in_outside and record.in_distance_m > 2000


def test_sign_in_opens_an_hour_before_and_closes_at_the_end(world):
    vw = volunteer_world(world)
    later = _activity(
        world,
        starts_at=timezone.now() + dt.timedelta(hours=3),
        ends_at=timezone.now() + dt.timedelta(hours=5),
    )
    with pytest.raises(DomainError, match="one hour before"):
        services.sign_in(later, vw.other, LAT, LNG)
    with pytest.raises(DomainError, match="ended"):
        services.sign_in(later, vw.other, LAT, LNG, now=later.ends_at + dt.timedelta(minutes=1))


def test_recruitment_stops_at_the_limit(world):
    vw = volunteer_world(world)
    activity = _activity(world, capacity=1)
    services.sign_up(activity, vw.volunteer)
    with pytest.raises(DomainError, match="full"):
        services.sign_up(activity, vw.other)
    with pytest.raises(DomainError, match="full"):
        services.sign_in(activity, vw.other, LAT, LNG)
    # The one signed up still signs in.
    record, created = services.sign_in(activity, vw.volunteer, LAT, LNG)
    assert created and record.status == RecordStatus.SIGNED_IN


def test_confirmed_hours_raise_the_total_and_the_star_level_and_a_correction_follows(world):
    vw = volunteer_world(world)
    volunteer = vw.volunteer
    Volunteer.objects.filter(pk=volunteer.pk).update(imported_hours=Decimal("99"), total_hours=Decimal("99"))
    services.confirm_record(vw.record, world.office)
    volunteer.refresh_from_db()
    assert volunteer.total_hours == Decimal("101.0") and volunteer.stars == 1
    services.confirm_record(vw.record, world.office, hours="0.5")
    volunteer.refresh_from_db()
    assert volunteer.total_hours == Decimal("99.5") and volunteer.stars == 0
    services.confirm_record(vw.record, world.office, reject=True)
    volunteer.refresh_from_db()
    assert volunteer.total_hours == Decimal("99")
    with pytest.raises(DomainError):
        services.confirm_record(vw.record, world.office, hours="25")


def test_a_record_without_sign_out_needs_hours_to_be_confirmed(world):
    vw = volunteer_world(world)
    activity = _activity(world)
    record = services.register_walk_in(activity, vw.other, world.office)
    with pytest.raises(DomainError, match="enter the hours"):
        services.confirm_record(record, world.office)
    confirmed = services.confirm_record(record, world.office, hours="2")
    assert confirmed.hours == Decimal("2.0") and confirmed.day is not None


def test_the_id_number_is_stored_encrypted(world):
    vw = volunteer_world(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number_enc FROM volunteers_volunteer WHERE id = %s", [vw.volunteer.pk])
        raw = cursor.fetchone()[0]
    assert raw and "110101199001011234" not in raw
    assert Volunteer.objects.get(pk=vw.volunteer.pk).id_number == "110101199001011234"


def test_the_phone_is_masked_outside_the_volunteers_unit_and_the_office(world):
    vw = volunteer_world(world)
    url = reverse("volunteers:volunteer", kwargs={"pk": vw.volunteer.pk})
    assert "13911110001" in world.client("office").get(url).content.decode()
    assert "13911110001" in world.client("liaison_a").get(url).content.decode()
    leader_page = world.client("leader").get(url).content.decode()
    assert "13911110001" not in leader_page and "139****0001" in leader_page
    assert "110101199001011234" not in leader_page and "110***********1234" not in leader_page
    liaison_page = world.client("liaison_a").get(url).content.decode()
    assert "110***********1234" in liaison_page and "110101199001011234" not in liaison_page
    assert "110101199001011234" in world.client("office").get(url).content.decode()
    listed = world.client("leader").get("/api/volunteers/volunteers").json()["items"]
    assert {v["phone"] for v in listed} >= {"139****0001"}


def test_the_organiser_confirms_on_the_page_and_the_volunteers_unit_may_not(world):
    vw = volunteer_world(world)
    # Community B's volunteer joins community A's activity; street B's liaison sees the record
    # (their volunteer) but is not the organiser.
    activity = _activity(world)
    services.sign_in(activity, vw.volunteer_b, LAT, LNG, now=activity.starts_at)
    record = services.sign_out(
        activity, vw.volunteer_b, LAT, LNG, now=activity.starts_at + dt.timedelta(hours=1)
    )
    response = world.client("liaison_b").post(
        f"/api/volunteers/records/{record.pk}/confirm", {"hours": "1"}, content_type="application/json"
    )
    assert response.status_code == 403
    page = world.client("liaison_a").post(
        reverse("volunteers:record_confirm", kwargs={"pk": record.pk}), {"action": "confirm", "hours": ""}
    )
    assert page.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED and record.hours == Decimal("1.0")


def test_confirm_all_confirms_the_computed_hours(world):
    vw = volunteer_world(world)
    response = world.client("unit_admin_a").post(
        reverse("volunteers:activity_action", kwargs={"pk": vw.activity.pk}), {"action": "confirm_all"}
    )
    assert response.status_code == 302
    vw.volunteer.refresh_from_db()
    assert vw.volunteer.total_hours == Decimal("2.0")
    hours = world.client("office").get(f"/api/volunteers/volunteers/{vw.volunteer.pk}/hours").json()
    assert hours["total_hours"] == "2.0" and hours["confirmed_activities"] == 1


def test_a_volunteer_signs_in_and_out_on_the_public_page(world):
    vw = volunteer_world(world)
    activity = _activity(world)
    url = reverse("volunteers:sign", kwargs={"token": activity.token})
    from django.test import Client

    phone = Client()
    assert phone.get(url).status_code == 200
    refused = phone.post(
        url, {"name": "周青禾", "phone": "13900000000", "action": "sign_in", "lat": LAT, "lng": LNG}
    )
    assert refused.status_code == 400 and "No registered volunteer" in refused.content.decode()
    done = phone.post(
        url, {"name": "周青禾", "phone": "139 1111 0001", "action": "sign_in", "lat": LAT, "lng": LNG}
    )
    assert done.status_code == 200 and "Signed in." in done.content.decode()
    out = phone.post(
        url, {"name": "周青禾", "phone": "13911110001", "action": "sign_out", "lat": LAT, "lng": LNG}
    )
    assert out.status_code == 200
    record = ServiceRecord.objects.get(activity=activity, volunteer=vw.volunteer)
    assert record.status == RecordStatus.SIGNED_OUT and record.signed_out_at is not None
    assert phone.get(reverse("volunteers:sign", kwargs={"token": "no-such-token"})).status_code == 404


def test_unit_figures_count_registered_active_hours_per_month_and_friday_days(world):
    vw = volunteer_world(world)
    services.confirm_record(vw.record, world.office)
    today = timezone.localdate()
    friday = today - dt.timedelta(days=(today.weekday() - 4) % 7)
    start = timezone.make_aware(dt.datetime.combine(friday, dt.time(9)))
    _activity(world, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    f = figures.unit_figures(world.street_a)
    assert f.registered == 2
    assert f.active_90 == 1
    assert f.hours_total == Decimal("2.0")
    assert [m[1] for m in f.months] == [Decimal("2.0")]
    assert f.friday_days >= 1
    assert figures.unit_figures(world.street_b).registered == 1
    data = world.client("office").get(f"/api/volunteers/units/{world.street_a.pk}/figures").json()
    assert data["registered"] == 2 and data["active_90_days"] == 1
    world.client("office").post(
        reverse("volunteers:population", kwargs={"unit_id": world.street_a.pk}), {"population": "20"}
    )
    assert figures.unit_figures(world.street_a).ratio == 10.0
    page = world.client("liaison_a").get(reverse("volunteers:index")).content.decode()
    assert world.street_a.name in page and "data-registered>2<" in page


def test_the_certificate_is_a_pdf(world):
    vw = volunteer_world(world)
    response = world.client("liaison_a").get(
        reverse("volunteers:certificate", kwargs={"pk": vw.volunteer.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_sign_in_sheet_lists_the_volunteers(world):
    import io

    import openpyxl

    vw = volunteer_world(world)
    response = world.client("leader").get(reverse("volunteers:activity_sheet", kwargs={"pk": vw.activity.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "周青禾" and rows[1][1] == "139****0001", "the leader sees the phone masked"


def test_an_activity_is_created_on_the_page_and_needs_a_place(world):
    client = world.client("liaison_a")
    data = {
        "unit": world.community_a.pk,
        "title": "红色星期六",
        "category": "publicity",
        "radius_m": 300,
        "starts_at": "2026-12-12T09:00",
        "ends_at": "2026-12-12T11:00",
        "capacity": 20,
    }
    response = client.post(reverse("volunteers:activity_new"), data)
    assert response.status_code == 200 and "a point or an address" in response.content.decode()
    response = client.post(reverse("volunteers:activity_new"), {**data, "address": "松林广场"})
    assert response.status_code == 302
    activity = Activity.objects.get(title="红色星期六")
    page = client.get(reverse("volunteers:activity", kwargs={"pk": activity.pk})).content.decode()
    assert "<svg" in page and activity.token in page
    bad = client.post(
        reverse("volunteers:activity_new"), {**data, "address": "x", "ends_at": "2026-12-12T08:00"}
    )
    assert "end after it starts" in bad.content.decode()
    # Street B's liaison cannot organise in community A.
    other = world.client("liaison_b").post(reverse("volunteers:activity_new"), {**data, "address": "x"})
    assert (
        other.status_code == 200 and not Activity.objects.filter(unit=world.community_a, address="x").exists()
    )


def test_the_organiser_adds_a_volunteer_after_the_activity_and_confirms_by_hand(world):
    vw = volunteer_world(world)
    now = timezone.now()
    past = _activity(
        world,
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=2) + dt.timedelta(hours=2),
    )
    with pytest.raises(DomainError, match="ended"):
        services.sign_up(past, vw.other)
    record = services.register_walk_in(past, vw.other, world.office)
    confirmed = services.confirm_record(record, world.office, hours="2")
    assert confirmed.day == timezone.localtime(past.starts_at).date()
