"""A phone used offline is recorded with its queued entries; the office revokes a lost one:
its session ends and whatever it still holds is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chuangwen.accounts.models import Device
from chuangwen.audit.models import AuditEntry
from chuangwen.inspections.models import Observation

pytestmark = pytest.mark.django_db
KEY = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def _queued_post(client: Client, inspection, key: str):
    item = inspection.rp.point.point_type.items.get(number=3)
    return client.post(
        reverse("inspections:visit_save", args=[inspection.rp.pk]),
        {"item": item.pk, "result": "pass", "client_key": key, "captured_at": timezone.now().isoformat()},
        HTTP_ACCEPT="application/json",
        HTTP_X_CW_QUEUED="1",
        HTTP_X_CW_DEVICE=KEY,
    )


def test_a_phone_is_recorded_by_its_queued_entries(world, inspection):
    client = world.client("inspector")
    assert client.post(reverse("offline:device_ping"), HTTP_X_CW_DEVICE=KEY).status_code == 200
    device = Device.objects.get(key=KEY)
    assert device.user == world.users["inspector"] and device.revoked_at is None
    assert _queued_post(client, inspection, "dev-k1").status_code == 200
    assert Device.objects.count() == 1


def test_the_office_revokes_a_phone_its_session_ends_and_its_queue_is_refused(world, inspection):
    phone = Client()
    phone.force_login(world.users["inspector"])
    assert phone.post(reverse("offline:device_ping"), HTTP_X_CW_DEVICE=KEY).status_code == 200
    device = Device.objects.get(key=KEY)
    assert device.session_key == phone.session.session_key

    office = world.client("office")
    listing = office.get(reverse("offline:devices")).content.decode()
    assert f'data-device="{device.pk}"' in listing
    response = office.post(reverse("offline:device_revoke", args=[device.pk]))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.revoked_at and device.revoked_by == world.users["office"]
    assert AuditEntry.objects.filter(action="accounts.device.revoke").count() == 1
    # The stolen phone's session is gone: it is sent to the sign-in page.
    assert phone.get(reverse("core:home")).status_code == 302
    # Signed in again (the thief knows the password), what it still holds is refused, with why.
    phone.force_login(world.users["inspector"])
    refused = _queued_post(phone, inspection, "dev-k2")
    assert refused.status_code == 410 and refused.json()["revoked"]
    assert not Observation.objects.filter(client_key="dev-k2").exists()
    # A second revoke says it was already done.
    office.post(reverse("offline:device_revoke", args=[device.pk]))
    assert AuditEntry.objects.filter(action="accounts.device.revoke").count() == 1


def test_another_persons_device_id_is_refused(world, inspection):
    Device.objects.create(
        key=KEY, user=world.users["duty_a"], last_seen=timezone.now() - dt.timedelta(days=1)
    )
    refused = _queued_post(world.client("inspector"), inspection, "dev-k3")
    assert refused.status_code == 410
