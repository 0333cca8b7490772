from chuangwen.accounts.models import Membership, Role, User
from chuangwen.tests.matrix import api, page

# The user pages: the office and unit admins (theirs are the logins of street A).
MANAGERS = {"office": 200, "unit_admin_a": 200}
ACTED = {"office": 302, "unit_admin_a": 302}  # a POST that worked goes back to the login's page


def _spare(world) -> User:
    """A liaison of community A that the POST routes act on, so the named users stay as they are."""
    user, created = User.objects.get_or_create(username="spare_a")
    if created:
        Membership.objects.create(user=user, unit=world.community_a, role=Role.LIAISON)
    return user


def _spare_pk(world) -> dict:
    return {"pk": _spare(world).pk}


def _fresh_membership(world) -> dict:
    membership, _ = Membership.objects.get_or_create(
        user=_spare(world), unit=world.community_a, role=Role.ENUMERATOR
    )
    return {"pk": membership.pk}


ROUTES = [
    page("accounts:login", anonymous=200, default=302),  # signed-in users are sent home
    page("accounts:logout", method="POST", anonymous=302, default=302),  # then to sign-in
    page("accounts:password_change"),
    page("accounts:otp"),  # no device yet: the enrolment page
    page("accounts:account"),
    # Switching the factor off needs a verified session; nobody here has verified one.
    page("accounts:otp_disable", method="POST", default=403),
    page("accounts:users", default=403, **MANAGERS),
    page("accounts:user_new", default=403, **MANAGERS),
    page("accounts:user", default=403, kwargs=lambda w: {"pk": w.liaison_a.pk}, **MANAGERS),
    page(
        "accounts:membership_add",
        method="POST",
        default=403,
        kwargs=_spare_pk,
        data=lambda w: {"m-unit": w.community_a.code, "m-role": Role.DUTY_STAFF},
        **ACTED,
    ),
    page("accounts:membership_remove", method="POST", default=403, kwargs=_fresh_membership, **ACTED),
    page("accounts:user_password_reset", method="POST", default=403, kwargs=_spare_pk, **MANAGERS),
    page("accounts:user_unlock", method="POST", default=403, kwargs=_spare_pk, **ACTED),
    page("accounts:user_otp_reset", method="POST", default=403, kwargs=_spare_pk, **ACTED),
    page("accounts:user_deactivate", method="POST", default=403, kwargs=_spare_pk, **ACTED),
    page("accounts:user_activate", method="POST", default=403, kwargs=_spare_pk, **ACTED),
    api("GET", "/api/accounts/me"),
]
