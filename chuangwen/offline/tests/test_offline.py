"""The installable app's server side, and capture time/place of entries queued offline."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from chuangwen.core import capture
from chuangwen.core.errors import DomainError
from chuangwen.inspections.models import Observation, Round, RoundStatus
from chuangwen.offline import precache

pytestmark = pytest.mark.django_db


def test_the_worker_is_served_from_the_root_with_its_version(world):
    response = world.client("anonymous").get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert f"var CW_VERSION = '{precache.version()}';" in body
    assert "importScripts(CW_QUEUE_SCRIPT)" in body


def test_the_manifest_installs_a_standalone_app_with_a_chinese_name(world, settings):
    settings.SITE_NAME = ""
    response = world.client("anonymous").get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="zh-hans")
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert data["display"] == "standalone"
    assert data["start_url"] == "/"
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    assert data["name"] == "创建文明城市工作平台" or any("\u4e00" <= c <= "\u9fff" for c in data["name"])
    assert any("\u4e00" <= c <= "\u9fff" for c in data["short_name"])


def test_every_signed_in_page_links_the_manifest_and_the_offline_bar(world):
    html = world.client("inspector").get("/").content.decode()
    assert 'rel="manifest"' in html
    assert 'id="cw-offline-bar"' in html
    assert "js/cw-offline.js" in html


def test_the_inspector_keeps_the_visits_of_open_rounds(world, inspection):
    data = world.client("inspector").get(reverse("offline:precache")).json()
    visit = reverse("inspections:visit", args=[inspection.rp.pk])
    assert visit in data["pages"]
    assert reverse("problems:report") in data["pages"]
    assert "/static/js/cw-queue.js" in data["static"]
    # Each listed page opens for this person (the worker keeps only those answering 200).
    client = world.client("inspector")
    for url in data["pages"]:
        assert client.get(url).status_code == 200, url


def test_a_closed_rounds_visits_are_not_kept(world, inspection):
    Round.objects.filter(pk=inspection.round.pk).update(status=RoundStatus.CLOSED)
    data = world.client("inspector").get(reverse("offline:precache")).json()
    assert reverse("inspections:visit", args=[inspection.rp.pk]) not in data["pages"]


def test_the_liaison_of_another_street_gets_no_visits(world, inspection):
    data = world.client("liaison_b").get(reverse("offline:precache")).json()
    assert not [p for p in data["pages"] if "/inspections/visits/" in p]


def test_capture_time_is_believed_unless_ahead_of_the_server_or_too_old(settings):
    now = timezone.now()
    earlier = now - dt.timedelta(hours=3)
    assert capture.captured_at(earlier.isoformat(), now) == earlier
    assert capture.captured_at("", now) == now
    assert capture.captured_at((now + dt.timedelta(hours=2)).isoformat(), now) == now
    with pytest.raises(DomainError):
        capture.captured_at((now - dt.timedelta(days=settings.OFFLINE_MAX_CAPTURE_DAYS + 1)).isoformat(), now)
    with pytest.raises(DomainError):
        capture.captured_at("yesterday", now)
    assert capture.accuracy("12.34") == 12.3
    assert capture.accuracy("nan") is None
    assert capture.accuracy("-1") is None


def _jpeg() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 30)).save(buf, "JPEG")
    buf.seek(0)
    buf.name = "p.jpg"
    return buf


def _queued(inspection, key: str, captured: dt.datetime, **extra):
    item = inspection.rp.point.point_type.items.get(number=3)
    return {
        "item": item.pk,
        "result": "fail",
        "client_key": key,
        "captured_at": captured.isoformat(),
        "lat": str(inspection.rp.point.lat),
        "lng": str(inspection.rp.point.lng),
        "gps_accuracy": "8.5",
        **extra,
    }, item


def test_a_queued_observation_keeps_its_capture_time_and_fix_and_is_stored_once(world, inspection):
    client = world.client("inspector")
    captured = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    data, item = _queued(inspection, "k-offline-1", captured)
    url = reverse("inspections:visit_save", args=[inspection.rp.pk])
    first = client.post(url, {**data, "photos": _jpeg()}, HTTP_ACCEPT="application/json")
    again = client.post(url, {**data, "photos": _jpeg()}, HTTP_ACCEPT="application/json")
    assert first.status_code == again.status_code == 200
    assert again.json()["message"] == "Already saved." or again.json()["ok"]
    obs = Observation.objects.get(round_point=inspection.rp, item=item)
    assert obs.observed_at == captured
    assert obs.received_at > captured + dt.timedelta(hours=1)
    assert obs.gps_accuracy_m == 8.5
    assert obs.photos.count() == 1


def test_an_entry_queued_before_the_round_closed_is_a_conflict_with_its_reason(world, inspection):
    Round.objects.filter(pk=inspection.round.pk).update(status=RoundStatus.CLOSED)
    captured = timezone.now() - dt.timedelta(hours=1)
    data, item = _queued(inspection, "k-offline-2", captured)
    response = world.client("inspector").post(
        reverse("inspections:visit_save", args=[inspection.rp.pk]), data, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] is True and body["ok"] is False
    assert timezone.localtime(captured).strftime("%H:%M") in body["message"]
    assert not Observation.objects.filter(
        round_point=inspection.rp, item=item, client_key="k-offline-2"
    ).exists()


def test_an_online_save_to_a_closed_round_is_still_a_plain_refusal(world, inspection):
    Round.objects.filter(pk=inspection.round.pk).update(status=RoundStatus.CLOSED)
    data, _item = _queued(inspection, "k-online", timezone.now())
    data.pop("captured_at")
    response = world.client("inspector").post(
        reverse("inspections:visit_save", args=[inspection.rp.pk]), data, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400


def test_a_check_in_made_offline_is_judged_by_when_and_where_it_was_made(world, field):
    from chuangwen.points.models import CheckIn, DutyShift
    from chuangwen.points.tests.fixtures import POINT_LAT, POINT_LNG

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    DutyShift.objects.filter(pk=field.shift.pk).update(
        date=yesterday, start_time=dt.time(8, 0), end_time=dt.time(10, 0)
    )
    tapped = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(8, 5)))
    url = reverse("points:check_in", args=[field.shift.pk])
    client = world.client("duty_a")
    # Sent now, long after the shift ended: without its capture time it would be refused…
    late = client.post(url, {"lat": POINT_LAT, "lng": POINT_LNG}, HTTP_ACCEPT="application/json")
    assert late.status_code == 400 and not CheckIn.objects.exists()
    # …with it, the tap at 08:05 on the spot counts, once.
    data = {"lat": POINT_LAT, "lng": POINT_LNG, "captured_at": tapped.isoformat(), "gps_accuracy": "6"}
    first = client.post(url, data, HTTP_ACCEPT="application/json", HTTP_X_CW_QUEUED="1")
    again = client.post(url, data, HTTP_ACCEPT="application/json", HTTP_X_CW_QUEUED="1")
    assert first.status_code == again.status_code == 200 and first.json()["ok"]
    checkin = CheckIn.objects.get()
    assert checkin.checked_in_at == tapped and not checkin.in_outside
