"""Logins and roles, managed by the campaign office (everybody) and unit admins (their units).

What an office expects instead of Django admin: find a login, see its roles and whether it is
locked, create one for a person, add or take back roles, reset a password, unlock, deactivate.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangwen.accounts import services
from chuangwen.accounts.forms import MembershipForm, UserCreateForm, UserFilterForm
from chuangwen.accounts.models import Membership, User
from chuangwen.accounts.permissions import (
    MANAGE_USERS,
    can_grant,
    can_manage_user,
    is_office,
    role_required,
    visible_logins,
)
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.accounts.security import locked_usernames
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Person

PAGE_SIZE = 50


def _memberships_seen(actor) -> Prefetch:
    """A login's roles, limited to the units the actor administers (all of them for the office)."""
    qs = scoped(Membership.objects.select_related("unit"), actor, roles=MANAGE_USERS).order_by("unit__path")
    return Prefetch("memberships", queryset=qs, to_attr="seen_memberships")


def _target(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(visible_logins(request.user), pk=pk)


@role_required(*MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    users = form.filter(visible_logins(request.user))
    users = users.prefetch_related(_memberships_seen(request.user)).order_by("username")
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    locked = locked_usernames(u.username for u in page)
    for user in page:
        user.locked_from = locked.get(user.username, [])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "accounts/users.html", {"page": page, "form": form, "querystring": query.urlencode()}
    )


def _person_for_login(request: HttpRequest) -> Person | None:
    raw = request.GET.get("person") or request.POST.get("person") or ""
    if not raw.isdigit():
        return None
    return get_scoped_or_404(
        Person.objects.select_related("unit").filter(user__isnull=True),
        request.user,
        roles=MANAGE_USERS,
        pk=int(raw),
    )


@role_required(*MANAGE_USERS)
def user_new(request: HttpRequest) -> HttpResponse:
    """A new login: for a person found by name (the usual case) or for somebody new."""
    person = _person_for_login(request)
    form = UserCreateForm(request.POST or None, actor=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.create_login(
                request.user,
                username=data["username"],
                unit=data["unit"],
                role=data["role"],
                display_name=data["display_name"],
                phone=data["phone"],
                email=data["email"],
                person=person,
                password=data["password"],
                request=request,
            )
        except (DomainError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            return _show_password(request, user, password, typed=bool(data["password"]))
    query = request.GET.get("q", "").strip()
    matches = []
    if person is None and query:
        matches = (
            scoped(Person.objects.select_related("unit"), request.user, roles=MANAGE_USERS)
            .filter(user__isnull=True, is_active=True)
            .filter(Q(name__icontains=query) | Q(phone__contains=query))
            .order_by("unit__path", "name")[:20]
        )
    return render(
        request,
        "accounts/user_new.html",
        {"form": form, "person": person, "query": query, "matches": matches},
    )


def _show_password(request: HttpRequest, user: User, password: str, typed: bool) -> HttpResponse:
    """The temporary password, once, in the response itself: never in a message or a URL."""
    response = render(
        request, "accounts/password_issued.html", {"target": user, "password": password, "typed": typed}
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required(*MANAGE_USERS)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(
        visible_logins(request.user).prefetch_related(_memberships_seen(request.user)), pk=pk
    )
    manageable = can_manage_user(request.user, target)
    for membership in target.seen_memberships:
        membership.removable = manageable and can_grant(request.user, membership.unit, membership.role)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "manageable": manageable,
            "membership_form": MembershipForm(actor=request.user, prefix="m") if manageable else None,
            "locked_from": locked_usernames([target.username]).get(target.username, []),
            "has_otp": TOTPDevice.objects.filter(user=target, confirmed=True).exists(),
            "person": Person.objects.filter(user=target).select_related("unit").first(),
            "hidden_roles": target.memberships.count() - len(target.seen_memberships),
            "is_office": is_office(request.user),
        },
    )


def _run(request: HttpRequest, pk: int, action: Callable[[User], object], success: str) -> HttpResponse:
    """Apply a service to the target login and go back to its page with the outcome."""
    target = _target(request, pk)
    try:
        action(target)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("accounts:user", pk=target.pk)


@require_POST
@role_required(*MANAGE_USERS)
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = MembershipForm(request.POST, actor=request.user, prefix="m")
    if not form.is_valid():
        target = _target(request, pk)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accounts:user", pk=target.pk)
    unit, role = form.cleaned_data["unit"], form.cleaned_data["role"]
    return _run(
        request,
        pk,
        lambda user: services.add_membership(request.user, user, unit, role, request=request),
        _("Role added."),
    )


@require_POST
@role_required(*MANAGE_USERS)
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_scoped_or_404(
        Membership.objects.select_related("unit", "user"), request.user, roles=MANAGE_USERS, pk=pk
    )
    if not can_grant(request.user, membership.unit, membership.role):
        raise PermissionDenied
    try:
        services.remove_membership(request.user, membership, request=request)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:user", pk=membership.user_id)


@require_POST
@role_required(*MANAGE_USERS)
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    password = services.reset_password(request.user, target, request=request)
    return _show_password(request, target, password, typed=False)


@require_POST
@role_required(*MANAGE_USERS)
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(
        request, pk, lambda user: services.unlock(request.user, user, request=request), _("Unlocked.")
    )


@require_POST
@role_required(*MANAGE_USERS)
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(
        request,
        pk,
        lambda user: services.set_active(request.user, user, False, request=request),
        _("The login is deactivated. It can no longer sign in."),
    )


@require_POST
@role_required(*MANAGE_USERS)
def user_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(
        request,
        pk,
        lambda user: services.set_active(request.user, user, True, request=request),
        _("The login is active again."),
    )


@require_POST
@role_required(*MANAGE_USERS)
def user_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(
        request,
        pk,
        lambda user: services.reset_otp(request.user, user, request=request),
        _("Two-factor authentication was reset; the login can set it up again."),
    )
