"""Login security: Argon2, lockout by username + address, password policies, session timeouts."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from chuangwen.accounts.models import User
from chuangwen.accounts.passwords import CharacterClassValidator
from chuangwen.conftest import PASSWORD

LOGIN = "/accounts/login/"
REPO = Path(__file__).resolve().parents[3]


def project_settings(tmp_path: Path, **env: str) -> dict:
    """The values settings.py derives from `env`, read in a fresh interpreter (settings are
    computed once at import, so each policy needs its own process)."""
    script = (
        "import json, chuangwen.settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'PASSWORD_HASHERS', 'AUTH_PASSWORD_VALIDATORS', 'PASSWORD_POLICY', 'PASSWORD_MAX_AGE_DAYS',"
        "'AXES_FAILURE_LIMIT', 'AXES_LOCKOUT_PARAMETERS', 'SESSION_IDLE_TIMEOUT',"
        "'SESSION_ABSOLUTE_TIMEOUT')}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("FAST_PASSWORD_HASHER", "PASSWORD_POLICY")}
    clean.update({"CHUANGWEN_DATA": str(tmp_path), **env})
    out = subprocess.run(
        [sys.executable, "-c", script], env=clean, cwd=REPO, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


class Clock:
    """Stands in for chuangwen.accounts.middleware.now()."""

    def __init__(self, start: float = 1_900_000_000.0) -> None:
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, minutes: float) -> None:
        self.value += minutes * 60


# --- hashing -------------------------------------------------------------------------------


def test_argon2_is_the_hasher_for_new_passwords_outside_tests(tmp_path):
    values = project_settings(tmp_path)
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert not any("MD5" in h for h in values["PASSWORD_HASHERS"])


@pytest.mark.django_db
def test_a_new_password_hash_starts_with_argon2(settings, tmp_path):
    # The autouse fixture switched to MD5 for speed; put the project's own list back.
    settings.PASSWORD_HASHERS = project_settings(tmp_path)["PASSWORD_HASHERS"]
    assert make_password("Cw-some-Passw0rd").startswith("argon2$")
    user = User.objects.create_user("hashed", password="Cw-some-Passw0rd")
    assert user.password.startswith("argon2$")
    assert user.check_password("Cw-some-Passw0rd")


@pytest.mark.django_db
def test_a_legacy_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(settings, tmp_path):
    settings.PASSWORD_HASHERS = project_settings(tmp_path)["PASSWORD_HASHERS"]
    user = User.objects.create(username="legacy", password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert user.password.startswith("pbkdf2_sha256$")
    assert sign_in(Client(), "legacy", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


# --- lockout -------------------------------------------------------------------------------


def test_the_lock_is_five_failures_keyed_by_username_and_address(tmp_path):
    values = project_settings(tmp_path)
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(world, chinese):
    client = Client()
    for _ in range(4):
        response = sign_in(client, "liaison_a", "wrong")
        assert response.status_code == 200  # the form again, with the error
    assert sign_in(client, "liaison_a", "wrong").status_code == 429  # the fifth locks

    response = sign_in(client, "liaison_a", PASSWORD)
    assert response.status_code == 429
    assert "accounts/locked.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    with translation.override("zh-hans"):
        expected = ngettext(
            "Too many failed sign-ins. This account is locked from your address for %(minutes)s minute.",
            "Too many failed sign-ins. This account is locked from your address for %(minutes)s minutes.",
            30,
        ) % {"minutes": 30}
        title = gettext("Account locked")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert expected in html
    assert title in html


def test_the_lock_does_not_reach_another_address_or_another_username(world):
    for _ in range(5):
        sign_in(Client(), "liaison_a", "wrong", ip="10.0.0.1")
    assert sign_in(Client(), "liaison_a", PASSWORD, ip="10.0.0.1").status_code == 429
    assert sign_in(Client(), "liaison_a", PASSWORD, ip="10.0.0.2").status_code == 302
    assert sign_in(Client(), "liaison_b", PASSWORD, ip="10.0.0.1").status_code == 302


def test_the_lock_lifts_after_thirty_minutes(world):
    for _ in range(5):
        sign_in(Client(), "liaison_a", "wrong")
    assert sign_in(Client(), "liaison_a", PASSWORD).status_code == 429
    # Travel: the failures happened 29 minutes ago: still locked.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=29))
    assert sign_in(Client(), "liaison_a", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert sign_in(Client(), "liaison_a", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(world):
    for _ in range(4):
        sign_in(Client(), "liaison_a", "wrong")
    assert sign_in(Client(), "liaison_a", PASSWORD).status_code == 302
    for _ in range(4):
        sign_in(Client(), "liaison_a", "wrong")
    assert sign_in(Client(), "liaison_a", PASSWORD).status_code == 302


def test_the_lock_follows_the_visitor_address_behind_a_proxy(world, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    for _ in range(5):
        Client().post(
            LOGIN,
            {"username": "liaison_a", "password": "wrong"},
            REMOTE_ADDR="192.168.0.10",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # Another visitor through the same proxy is not locked out of the same account.
    response = Client().post(
        LOGIN,
        {"username": "liaison_a", "password": PASSWORD},
        REMOTE_ADDR="192.168.0.10",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert response.status_code == 302


# --- password policies ---------------------------------------------------------------------


def _validators(tmp_path: Path, policy: str):
    return get_password_validators(
        project_settings(tmp_path, PASSWORD_POLICY=policy)["AUTH_PASSWORD_VALIDATORS"]
    )


def _accepts(validators, password: str) -> bool:
    try:
        validate_password(password, User(username="someone"), password_validators=validators)
    except ValidationError:
        return False
    return True


def test_the_dengbao_policy_wants_eight_characters_of_three_classes(tmp_path):
    validators = _validators(tmp_path, "dengbao")
    assert _accepts(validators, "Qx7#mpla")  # 8, four classes
    assert _accepts(validators, "qx7#mpla")  # 8, three classes
    assert not _accepts(validators, "Qx7#mpl")  # 7
    assert not _accepts(validators, "qxz7mpla")  # two classes
    assert not _accepts(validators, "correcthorsebatterystaple")  # long but one class


def test_the_asvs_policy_wants_twelve_characters_and_no_composition(tmp_path):
    validators = _validators(tmp_path, "asvs")
    assert _accepts(validators, "correcthorsebatterystaple")
    assert _accepts(validators, "qxzvmplawrtk")  # 12 lower-case letters
    assert not _accepts(validators, "Qx7#mpla9!b")  # 11, however mixed
    assert not any(isinstance(v, CharacterClassValidator) for v in validators)


def test_the_character_class_validator_counts_four_classes():
    validator = CharacterClassValidator()
    validator.validate("aB3!")
    validator.validate("aB3x")
    validator.validate("ab3!")
    with pytest.raises(ValidationError) as exc:
        validator.validate("abcD")
    assert exc.value.code == "password_too_simple"
    with pytest.raises(ValidationError):
        validator.validate("创文创文创文创文1")  # Chinese characters are no class of their own


def test_expiry_is_off_unless_configured(tmp_path):
    assert project_settings(tmp_path)["PASSWORD_MAX_AGE_DAYS"] == 0
    assert project_settings(tmp_path, PASSWORD_MAX_AGE_DAYS="90")["PASSWORD_MAX_AGE_DAYS"] == 90


def test_an_expired_password_must_be_changed_before_anything_else(world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = world.liaison_a
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = world.client("liaison_a")
    response = client.get("/org/units/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    assert client.get("/api/org/units").status_code == 403
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh-Passw0rd-2", "new_password2": "Fresh-Passw0rd-2"},
    )
    assert response.status_code == 302
    assert client.get("/org/units/").status_code == 200


def test_a_new_login_counts_its_password_age_from_creation(db):
    user = User.objects.create_user("fresh", password=PASSWORD)
    assert user.password_changed_at is not None
    assert timezone.now() - user.password_changed_at < dt.timedelta(minutes=1)


def test_a_login_that_never_changed_its_password_expires_from_the_day_it_joined(world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=world.liaison_a.pk).update(
        password_changed_at=None, date_joined=timezone.now() - dt.timedelta(days=120)
    )
    response = world.client("liaison_a").get("/org/units/")
    assert response["Location"] == reverse("accounts:password_change")


def test_a_password_younger_than_the_maximum_age_is_fine(world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=world.liaison_a.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=89)
    )
    assert world.client("liaison_a").get("/org/units/").status_code == 200


def test_the_asvs_policy_never_forces_a_periodic_change(world, settings):
    settings.PASSWORD_POLICY = "asvs"
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=world.liaison_a.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=400)
    )
    assert world.client("liaison_a").get("/org/units/").status_code == 200


# --- session timeouts ----------------------------------------------------------------------


def test_the_timeouts_are_thirty_minutes_idle_and_twelve_hours_in_all(tmp_path):
    values = project_settings(tmp_path)
    assert values["SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert values["SESSION_ABSOLUTE_TIMEOUT"] == 12 * 3600


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("chuangwen.accounts.middleware.now", clock)
    return clock


def test_a_session_idle_for_more_than_thirty_minutes_ends(world, clock, chinese):
    client = Client()
    assert sign_in(client, "liaison_a", PASSWORD).status_code == 302
    clock.advance(29)
    assert client.get("/org/units/").status_code == 200
    clock.advance(29)  # 58 minutes after sign-in, but never 30 idle
    assert client.get("/org/units/").status_code == 200
    clock.advance(31)
    response = client.get("/org/units/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Forg%2Funits%2F%3Fq%3Dx"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"])
    with translation.override("zh-hans"):
        assert gettext("Your session has expired. Please sign in again.") in login_page.content.decode()


def test_an_idle_api_session_answers_401(world, clock):
    client = Client()
    sign_in(client, "liaison_a", PASSWORD)
    assert client.get("/api/org/units").status_code == 200
    clock.advance(31)
    assert client.get("/api/org/units").status_code == 401


def test_a_busy_session_still_ends_after_twelve_hours(world, clock):
    client = Client()
    sign_in(client, "liaison_a", PASSWORD)
    for _ in range(35):  # 35 × 20 minutes = 11 h 40 min
        clock.advance(20)
        assert client.get("/org/units/").status_code == 200
    clock.advance(25)  # 12 h 05 min after sign-in
    assert client.get("/org/units/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_signing_in_again_restarts_both_clocks(world, clock):
    client = Client()
    sign_in(client, "liaison_a", PASSWORD)
    clock.advance(31)
    assert client.get("/org/units/").status_code == 302
    sign_in(client, "liaison_a", PASSWORD)
    clock.advance(10)
    assert client.get("/org/units/").status_code == 200
