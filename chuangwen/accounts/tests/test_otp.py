"""The TOTP second factor: enrolment from "my account", a code at every sign-in, and the
office admins forced to enrol when REQUIRE_OTP_FOR_OFFICE is on. Codes are computed from the
device key exactly as an authenticator app would."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangwen.accounts import services
from chuangwen.audit.models import AuditEntry
from chuangwen.conftest import PASSWORD

OTP = reverse("accounts:otp")


def code(device: TOTPDevice, ahead: int = 0) -> str:
    """The code the app shows now (`ahead` steps later: a code not used yet in this step)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=ahead)
    return f"{value:0{device.digits}d}"


def sign_in(client: Client, username: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def enrol(client: Client) -> TOTPDevice:
    page = client.get(OTP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username=page.context["user"].username, confirmed=False)
    response = client.post(OTP, {"token": code(device), "next": "/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_user_enrols_from_my_account_with_a_qr_code(world, chinese):
    client = world.client("liaison_a")
    account = client.get(reverse("accounts:account"))
    assert OTP in account.content.decode()
    page = client.get(OTP)
    html = page.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=world.liaison_a)
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in device.config_url
    # Reloading the page shows the same key: the app scanned a moment ago keeps working.
    client.get(OTP)
    assert TOTPDevice.objects.filter(user=world.liaison_a).count() == 1

    wrong = client.post(OTP, {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    # django-otp now wants a pause before the next try; the page says so rather than "wrong".
    too_soon = client.post(OTP, {"token": code(device)})
    assert too_soon.status_code == 200
    with translation.override("zh-hans"):
        expected = gettext("Too many wrong codes. Wait a few seconds and try again.")
    assert too_soon.context["form"].errors["token"] == [expected]
    device.throttle_reset()

    response = client.post(OTP, {"token": code(device), "next": "/org/units/"})
    assert response.status_code == 302
    assert response["Location"] == "/org/units/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/org/units/").status_code == 200  # this session counts as verified
    assert AuditEntry.objects.filter(action="accounts.otp_enrolled", actor=world.liaison_a).exists()


def test_an_enrolled_user_must_enter_a_code_at_each_sign_in(world):
    device = enrol(world.client("liaison_a"))
    client = Client()
    response = sign_in(client, "liaison_a")
    assert response.status_code == 302
    assert response["Location"].startswith(OTP + "?next=")
    # Password alone: no page and no API yet.
    assert client.get("/org/units/")["Location"].startswith(OTP)
    assert client.get("/api/org/units").status_code == 403
    verify_page = client.get(OTP)
    assert "accounts/otp_verify.html" in [t.name for t in verify_page.templates]

    bad = client.post(OTP, {"otp_device": device.persistent_id, "otp_token": "12345x", "next": "/"})
    assert bad.status_code == 200
    assert client.get("/org/units/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()  # the wrong code above started django-otp's back-off
    good = client.post(
        OTP, {"otp_device": device.persistent_id, "otp_token": code(device, ahead=1), "next": "/org/units/"}
    )
    assert good.status_code == 302
    assert good["Location"] == "/org/units/"
    assert client.get("/org/units/").status_code == 200
    assert client.get("/api/org/units").status_code == 200


def test_a_code_cannot_be_used_twice(world):
    device = enrol(world.client("liaison_a"))
    used = code(device)  # the code that enrolled the device, still inside its 30 seconds
    client = Client()
    sign_in(client, "liaison_a")
    client.post(OTP, {"otp_device": device.persistent_id, "otp_token": used, "next": "/"})
    assert client.get("/org/units/").status_code == 302


def test_office_admins_must_enrol_before_anything_else_when_required(world, settings):
    settings.REQUIRE_OTP_FOR_OFFICE = True
    client = world.client("office")
    response = client.get("/org/units/")
    assert response.status_code == 302
    assert response["Location"] == f"{OTP}?next=%2Forg%2Funits%2F"
    assert client.get("/api/org/units").status_code == 403
    assert client.get(reverse("accounts:users")).status_code == 302
    page = client.get(OTP)
    assert page.status_code == 200
    assert page.context["required"]
    # Other roles are not forced.
    assert world.client("liaison_a").get("/org/units/").status_code == 200

    device = TOTPDevice.objects.get(user=world.office)
    assert client.post(OTP, {"token": code(device), "next": "/"}).status_code == 302
    assert client.get("/org/units/").status_code == 200
    assert client.get("/api/org/units").status_code == 200


def test_a_required_second_factor_cannot_be_switched_off(world, settings):
    settings.REQUIRE_OTP_FOR_OFFICE = True
    client = world.client("office")
    enrol(client)
    assert client.post(reverse("accounts:otp_disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=world.office).exists()


def test_an_optional_second_factor_can_be_switched_off_from_a_verified_session(world):
    client = world.client("liaison_a")
    enrol(client)
    response = client.post(reverse("accounts:otp_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.liaison_a).exists()
    assert AuditEntry.objects.filter(action="accounts.otp_disabled").exists()


def test_a_password_alone_cannot_switch_the_second_factor_off(world):
    enrol(world.client("liaison_a"))
    client = Client()
    sign_in(client, "liaison_a")
    response = client.post(reverse("accounts:otp_disable"))
    assert response.status_code == 302  # to the code page, like any page before the code
    assert response["Location"].startswith(OTP)
    assert TOTPDevice.objects.filter(user=world.liaison_a, confirmed=True).exists()


def test_an_admin_resets_a_lost_authenticator(world):
    enrol(world.client("duty_a"))
    response = world.client("unit_admin_a").post(reverse("accounts:user_otp_reset", args=[world.duty_a.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.duty_a).exists()
    client = Client()
    sign_in(client, "duty_a")
    assert client.get("/org/units/").status_code == 200  # no factor: the password is enough again


def test_enrolling_leaves_one_device(world):
    client = world.client("liaison_a")
    enrol(client)
    # A stray pending device (an abandoned second enrolment) is removed when one is confirmed.
    stray = TOTPDevice.objects.create(user=world.liaison_a, name="stray", confirmed=False)
    device = TOTPDevice.objects.get(user=world.liaison_a, confirmed=True)
    services.confirm_otp_device(world.liaison_a, device)
    assert not TOTPDevice.objects.filter(pk=stray.pk).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_the_code_page_never_sends_a_user_off_site(world, target):
    client = world.client("liaison_a")
    client.get(OTP)
    device = TOTPDevice.objects.get(user=world.liaison_a)
    response = client.post(OTP, {"token": code(device), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
