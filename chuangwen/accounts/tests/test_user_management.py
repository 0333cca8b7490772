"""Logins and roles managed by the office (everybody) and by unit admins (their own units)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from chuangwen.accounts import services
from chuangwen.accounts.models import Membership, Role, User
from chuangwen.accounts.scope import scope_for
from chuangwen.audit.models import AuditEntry
from chuangwen.audit.services import verify_chain
from chuangwen.conftest import PASSWORD, make_user
from chuangwen.core.errors import DomainError

USERS = reverse("accounts:users")
NEW = reverse("accounts:user_new")


def sign_in(client: Client, username: str, password: str = PASSWORD, ip: str = "10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def new_login_form(unit, role, **extra) -> dict:
    return {"username": "new_user", "display_name": "新用户", "unit": unit.name, "role": role, **extra}


# --- the list ------------------------------------------------------------------------------


def test_the_office_lists_every_login_with_roles_and_lock_state(world):
    for _ in range(5):
        sign_in(Client(), "liaison_b", "wrong")
    page = world.client("office").get(USERS)
    assert page.status_code == 200
    rows = {u.username: u for u in page.context["page"]}
    assert set(world.users) <= set(rows)
    assert [(m.unit, m.role) for m in rows["liaison_b"].seen_memberships] == [(world.street_b, Role.LIAISON)]
    assert rows["liaison_b"].locked_from == ["10.0.0.1"]
    assert rows["liaison_a"].locked_from == []
    locked = world.client("office").get(USERS, {"status": "locked"})
    assert [u.username for u in locked.context["page"]] == ["liaison_b"]


def test_a_unit_admin_lists_only_the_logins_of_its_units(world):
    page = world.client("unit_admin_a").get(USERS)
    names = {u.username for u in page.context["page"]}
    assert names == {"liaison_a", "unit_admin_a", "duty_a", "enumerator_a"}


def test_the_list_filters_by_name_role_and_status(world):
    client = world.client("office")
    assert [u.username for u in client.get(USERS, {"q": "duty"}).context["page"]] == ["duty_a"]
    by_role = client.get(USERS, {"role": Role.INSPECTOR}).context["page"]
    assert [u.username for u in by_role] == ["inspector"]
    User.objects.filter(pk=world.duty_a.pk).update(is_active=False)
    inactive = client.get(USERS, {"status": "inactive"}).context["page"]
    assert [u.username for u in inactive] == ["duty_a"]


def test_a_unit_admin_cannot_open_a_login_of_a_sibling_street(world):
    client = world.client("unit_admin_a")
    assert client.get(reverse("accounts:user", args=[world.liaison_b.pk])).status_code == 404
    assert client.get(reverse("accounts:user", args=[world.liaison_a.pk])).status_code == 200


# --- creating logins -----------------------------------------------------------------------


def test_the_office_creates_a_login_for_a_person_who_must_change_the_password(world):
    client = world.client("office")
    form = client.get(NEW, {"person": world.person_a.pk})
    assert form.context["form"].initial["display_name"] == "林小松"
    response = client.post(
        NEW,
        {
            "person": world.person_a.pk,
            "username": "13800000001",
            "display_name": "林小松",
            "phone": "13800000001",
            "unit": world.community_a.code,
            "role": Role.DUTY_STAFF,
        },
    )
    assert response.status_code == 200
    assert "accounts/password_issued.html" in [t.name for t in response.templates]
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()

    user = User.objects.get(username="13800000001")
    world.person_a.refresh_from_db()
    assert world.person_a.user == user
    assert user.must_change_password
    assert list(user.memberships.values_list("unit", "role")) == [(world.community_a.pk, Role.DUTY_STAFF)]
    assert AuditEntry.objects.filter(action="accounts.user.create", object_id=str(user.pk)).exists()

    # First sign-in: nothing but the password page until the password is the owner's own.
    owner = Client()
    assert sign_in(owner, "13800000001", password).status_code == 302
    assert owner.get("/org/units/")["Location"] == reverse("accounts:password_change")
    assert owner.get("/api/accounts/me").status_code == 403
    same = owner.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    assert same.status_code == 200  # keeping the temporary password is refused
    changed = owner.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Own-Passw0rd-9", "new_password2": "Own-Passw0rd-9"},
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert owner.get("/org/units/").status_code == 200


def test_a_login_can_be_created_for_somebody_not_in_the_people_list(world):
    response = world.client("office").post(
        NEW, new_login_form(world.department, Role.LIAISON, password="Typed-Passw0rd-1")
    )
    assert response.status_code == 200
    assert response.context["typed"]
    assert "Typed-Passw0rd-1" not in response.content.decode()
    user = User.objects.get(username="new_user")
    assert user.check_password("Typed-Passw0rd-1")
    assert user.must_change_password
    assert not hasattr(user, "person") or user.person is None


def test_a_typed_initial_password_must_follow_the_policy(world):
    response = world.client("office").post(
        NEW, new_login_form(world.department, Role.LIAISON, password="abc")
    )
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="new_user").exists()


def test_usernames_are_unique_ignoring_case(world):
    response = world.client("office").post(
        NEW, {**new_login_form(world.department, Role.LIAISON), "username": "LIAISON_A"}
    )
    assert "username" in response.context["form"].errors


def test_a_unit_admin_creates_logins_for_its_units_in_the_roles_it_may_grant(world):
    client = world.client("unit_admin_a")
    response = client.post(NEW, new_login_form(world.community_a, Role.ENUMERATOR))
    assert response.status_code == 200
    assert User.objects.get(username="new_user").memberships.get().role == Role.ENUMERATOR

    for unit, role in [
        (world.street_b, Role.LIAISON),  # a sibling street
        (world.street_a, Role.UNIT_ADMIN),  # a role it may not grant
        (world.street_a, Role.OFFICE_ADMIN),
    ]:
        response = client.post(NEW, {**new_login_form(unit, role), "username": "other"})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not User.objects.filter(username="other").exists()


def test_a_unit_admin_cannot_create_a_login_for_a_person_of_another_street(world):
    response = world.client("unit_admin_a").get(NEW, {"person": world.person_b.pk})
    assert response.status_code == 404


def test_the_person_search_finds_only_people_without_a_login_in_scope(world):
    response = world.client("unit_admin_a").get(NEW, {"q": "小"})
    assert [p.name for p in response.context["matches"]] == ["林小松"]


def test_the_service_refuses_a_grant_outside_the_actor_units(world):
    with pytest.raises(PermissionDenied):
        services.create_login(world.unit_admin_a, username="x1", unit=world.street_b, role=Role.LIAISON)
    with pytest.raises(PermissionDenied):
        services.create_login(world.liaison_a, username="x2", unit=world.street_a, role=Role.LIAISON)
    user, _password = services.create_login(
        world.unit_admin_a, username="x3", unit=world.community_a, role=Role.LIAISON
    )
    with pytest.raises(DomainError):
        services.create_login(world.office, username="X3", unit=world.community_a, role=Role.LIAISON)


# --- roles ---------------------------------------------------------------------------------


def test_the_office_adds_and_removes_a_role(world):
    client = world.client("office")
    url = reverse("accounts:membership_add", args=[world.liaison_a.pk])
    response = client.post(url, {"m-unit": world.department.name, "m-role": Role.INSPECTOR})
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.liaison_a, role=Role.INSPECTOR)
    assert membership.unit == world.department
    again = client.post(url, {"m-unit": world.department.name, "m-role": Role.INSPECTOR}, follow=True)
    assert Membership.objects.filter(user=world.liaison_a, role=Role.INSPECTOR).count() == 1
    assert any(m.level_tag == "error" for m in again.context["messages"])

    response = client.post(reverse("accounts:membership_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_id=str(world.liaison_a.pk)).values_list("action", flat=True)
    )
    assert "accounts.membership.add" in actions
    assert "accounts.membership.remove" in actions


def test_a_unit_admin_manages_only_the_lesser_roles_in_its_own_units(world):
    client = world.client("unit_admin_a")
    url = reverse("accounts:membership_add", args=[world.duty_a.pk])
    client.post(url, {"m-unit": world.community_a.name, "m-role": Role.LIAISON})
    assert Membership.objects.filter(user=world.duty_a, role=Role.LIAISON).exists()
    client.post(url, {"m-unit": world.community_b.name, "m-role": Role.LIAISON})
    assert not Membership.objects.filter(user=world.duty_a, unit=world.community_b).exists()
    client.post(url, {"m-unit": world.community_a.name, "m-role": Role.INSPECTOR})
    assert not Membership.objects.filter(user=world.duty_a, role=Role.INSPECTOR).exists()

    theirs = Membership.objects.get(user=world.liaison_b)
    assert client.post(reverse("accounts:membership_remove", args=[theirs.pk])).status_code == 404
    own_admin = Membership.objects.get(user=world.unit_admin_a)
    assert client.post(reverse("accounts:membership_remove", args=[own_admin.pk])).status_code == 403


def test_a_unit_admin_cannot_touch_a_login_that_also_holds_higher_roles(world):
    # The office admin is also a liaison in street A: resetting its password would be a takeover.
    Membership.objects.create(user=world.office, unit=world.street_a, role=Role.LIAISON)
    client = world.client("unit_admin_a")
    assert client.get(reverse("accounts:user", args=[world.office.pk])).context["manageable"] is False
    response = client.post(reverse("accounts:user_password_reset", args=[world.office.pk]))
    assert response.status_code == 403
    assert world.office.check_password(PASSWORD)
    response = client.post(
        reverse("accounts:membership_add", args=[world.office.pk]),
        {"m-unit": world.community_a.name, "m-role": Role.ENUMERATOR},
    )
    assert response.status_code == 403


def test_nobody_changes_their_own_roles_or_status_here(world):
    office = world.office
    with pytest.raises(PermissionDenied):
        services.add_membership(office, office, world.department, Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.remove_membership(office, office.memberships.get())
    with pytest.raises(PermissionDenied):
        services.set_active(office, office, False)


# --- passwords, locks, deactivation --------------------------------------------------------


def test_a_password_reset_issues_a_temporary_password_and_lifts_the_lock(world):
    for _ in range(5):
        sign_in(Client(), "duty_a", "wrong")
    assert sign_in(Client(), "duty_a").status_code == 429
    response = world.client("unit_admin_a").post(
        reverse("accounts:user_password_reset", args=[world.duty_a.pk])
    )
    assert response.status_code == 200
    temporary = response.context["password"]
    world.duty_a.refresh_from_db()
    assert world.duty_a.must_change_password
    assert not world.duty_a.check_password(PASSWORD)
    assert not AccessAttempt.objects.filter(username="duty_a").exists()
    assert sign_in(Client(), "duty_a", temporary).status_code == 302


def test_a_password_reset_ends_the_sessions_of_the_login(world):
    session = world.client("duty_a")
    assert session.get("/org/units/").status_code == 200
    world.client("office").post(reverse("accounts:user_password_reset", args=[world.duty_a.pk]))
    assert session.get("/org/units/").status_code == 302


def test_an_admin_unlocks_a_locked_login(world):
    for _ in range(5):
        sign_in(Client(), "liaison_a", "wrong")
    assert sign_in(Client(), "liaison_a").status_code == 429
    page = world.client("unit_admin_a").get(reverse("accounts:user", args=[world.liaison_a.pk]))
    assert page.context["locked_from"] == ["10.0.0.1"]
    response = world.client("unit_admin_a").post(reverse("accounts:user_unlock", args=[world.liaison_a.pk]))
    assert response.status_code == 302
    assert sign_in(Client(), "liaison_a").status_code == 302
    entry = AuditEntry.objects.get(action="accounts.user.unlock")
    assert entry.actor == world.unit_admin_a
    assert entry.changes == {"attempts_cleared": 1}


def test_a_deactivated_login_can_neither_sign_in_nor_use_its_session(world):
    session = world.client("duty_a")
    assert session.get("/org/units/").status_code == 200
    response = world.client("unit_admin_a").post(reverse("accounts:user_deactivate", args=[world.duty_a.pk]))
    assert response.status_code == 302
    world.duty_a.refresh_from_db()
    assert not world.duty_a.is_active
    assert scope_for(world.duty_a) == scope_for(None)
    assert session.get("/org/units/").status_code == 302
    assert session.get("/api/org/units").status_code == 401
    assert sign_in(Client(), "duty_a").status_code == 200  # the form again: not signed in

    world.client("unit_admin_a").post(reverse("accounts:user_activate", args=[world.duty_a.pk]))
    assert sign_in(Client(), "duty_a").status_code == 302
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.user.deactivate", "accounts.user.activate"} <= actions


def test_a_login_left_without_roles_stays_with_the_unit_admin_of_its_person(world):
    user = make_user("person_login")
    world.person_a.user = user
    world.person_a.save()
    client = world.client("unit_admin_a")
    assert client.get(reverse("accounts:user", args=[user.pk])).context["manageable"]
    client.post(
        reverse("accounts:membership_add", args=[user.pk]),
        {"m-unit": world.community_a.code, "m-role": Role.DUTY_STAFF},
    )
    assert user.memberships.get().role == Role.DUTY_STAFF


def test_every_change_is_in_the_audit_chain(world):
    office = world.office
    user, _password = services.create_login(office, username="chain", unit=world.street_a, role=Role.LIAISON)
    services.add_membership(office, user, world.community_a, Role.DUTY_STAFF)
    services.remove_membership(office, user.memberships.get(role=Role.DUTY_STAFF))
    services.reset_password(office, user)
    services.unlock(office, user)
    services.set_active(office, user, False)
    services.reset_otp(office, user)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "accounts.user.create",
        "accounts.membership.add",
        "accounts.membership.remove",
        "accounts.user.password_reset",
        "accounts.user.unlock",
        "accounts.user.deactivate",
        "accounts.user.otp_reset",
    ]
    assert verify_chain().ok


def test_the_menu_shows_users_to_office_and_unit_admins_only(world):
    url = reverse("accounts:users")
    for role, expected in [("office", True), ("unit_admin_a", True), ("liaison_a", False), ("leader", False)]:
        items = world.client(role).get("/org/units/").context["nav_items"]
        assert any(item["url"] == url for item in items) is expected, role


def test_a_unit_typed_by_name_is_looked_for_among_the_units_the_admin_manages(world):
    from chuangwen.org.models import Unit, UnitKind

    # Two communities with the same name; the one outside street A is the first a global lookup finds.
    ours = Unit.objects.create(name="新村社区", code="S-A-9", kind=UnitKind.COMMUNITY, parent=world.street_a)
    theirs = Unit.objects.create(
        name="新村社区", code="S-B-9", kind=UnitKind.COMMUNITY, parent=world.street_b
    )
    Unit.objects.filter(pk=theirs.pk).update(path="/0/")  # sorts before every other path
    assert Unit.objects.find_by_name("新村社区") == theirs
    world.client("unit_admin_a").post(
        reverse("accounts:membership_add", args=[world.duty_a.pk]),
        {"m-unit": "新村社区", "m-role": Role.ENUMERATOR},
    )
    assert Membership.objects.get(user=world.duty_a, role=Role.ENUMERATOR).unit == ours
