"""Sign in and out, the second factor, password change and the user's own account page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.forms import OTPTokenForm

from chuangwen.accounts import otp, services
from chuangwen.accounts.forms import LoginForm, OTPSetupForm, OwnPasswordChangeForm
from chuangwen.accounts.middleware import password_expired, start_session
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
        start_session(self.request)
        user = self.request.user
        log_action(user, "accounts.login", user, request=self.request)
        if otp.needs_otp(user):
            query = urlencode({"next": self.get_success_url()})
            return redirect(f"{reverse('accounts:otp')}?{query}")
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["forced"] = user.must_change_password or password_expired(user)
        return context

    def form_valid(self, form):
        user = services.change_own_password(form, request=self.request)
        # Changing the password rotates the session hash; keep this session signed in.
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


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
        services.confirm_otp_device(user, device, request=request)
        device.refresh_from_db()
        otp_login(request, device)
        messages.success(request, _("Two-factor authentication is now on for your account."))
        return redirect(next_url)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": otp.qr_svg(device),
            "secret": otp.manual_key(device),
            "required": otp.needs_otp(user),
            "next": next_url,
        },
    )


@require_POST
@login_required
def otp_disable(request: HttpRequest) -> HttpResponse:
    """Turn one's own second factor off, when the policy does not require it."""
    user = request.user
    # Only from a verified session: a stolen password alone must not switch the factor off.
    if otp.required_for(user) or not user.is_verified():
        raise PermissionDenied
    services.disable_own_otp(user, request=request)
    messages.success(request, _("Two-factor authentication is now off for your account."))
    return redirect("accounts:account")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("unit").order_by("unit__path")
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "has_otp": otp.confirmed_device(request.user) is not None,
            "otp_required": otp.required_for(request.user),
        },
    )
