"""Sign in and out, the second factor, password change and the user's own account page."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.forms import OTPTokenForm

from chuangwen.accounts import otp
from chuangwen.accounts.forms import LoginForm, OTPSetupForm
from chuangwen.accounts.middleware import AUTH_AT, LAST_SEEN
from chuangwen.audit.services import log_action


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        now = time.time()
        self.request.session[AUTH_AT] = now
        self.request.session[LAST_SEEN] = now
        log_action(self.request.user, "accounts.login", self.request.user, request=self.request)
        if otp.needs_otp(self.request.user):
            return redirect(f"{reverse_lazy('accounts:otp')}?next={self.get_success_url()}")
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        log_action(self.request.user, "accounts.password_change", self.request.user, request=self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    """Verify a token from the user's authenticator, or set one up when the user has none."""
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    if otp.confirmed_device(user) is not None:
        form = OTPTokenForm(user, request, data=request.POST or None)
        if request.method == "POST" and form.is_valid():
            otp_login(request, form.get_user().otp_device)
            log_action(user, "accounts.otp_verified", user, request=request)
            return redirect(next_url)
        return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})
    device = otp.pending_device(user)
    form = OTPSetupForm(device, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        log_action(user, "accounts.otp_enrolled", user, request=request)
        messages.success(request, _("Two-factor authentication is now on for your account."))
        return redirect(next_url)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": otp.qr_svg(device), "secret": device.config_url, "next": next_url},
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("unit").order_by("unit__path")
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "has_otp": otp.confirmed_device(request.user) is not None,
        },
    )
