"""Session policy: idle and absolute timeouts, the second factor, forced password changes.

Runs after MessageMiddleware (it leaves a message on the sign-in page) and after
OTPMiddleware (it asks `user.is_verified()`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.accounts.otp import needs_otp

AUTH_AT = "_cw_auth_at"
LAST_SEEN = "_cw_last_seen"
# Writing the session on every request costs a DB write; a minute of slack is plenty.
_TOUCH_EVERY = 60

_EXEMPT_PREFIXES = (
    "/static/",
    "/accounts/logout",
    "/accounts/otp/",
    "/accounts/login",
    "/healthz",
    "/i18n/",
)
_PASSWORD_PAGE = "/accounts/password/"


def now() -> float:
    """The clock the session policy reads (a function, so tests can move it)."""
    return time.time()


def start_session(request: HttpRequest) -> None:
    """Stamp a fresh sign-in: both timeouts count from here."""
    stamp = now()
    request.session[AUTH_AT] = stamp
    request.session[LAST_SEEN] = stamp


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _with_next(url: str, request: HttpRequest) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            blocked = self._enforce(request)
            if blocked is not None:
                return blocked
        return self.get_response(request)

    def _enforce(self, request: HttpRequest) -> HttpResponse | None:
        current = now()
        session = request.session
        auth_at = session.get(AUTH_AT, current)
        last_seen = session.get(LAST_SEEN, current)
        if (
            current - last_seen > settings.SESSION_IDLE_TIMEOUT
            or current - auth_at > settings.SESSION_ABSOLUTE_TIMEOUT
        ):
            logout(request)
            message = _("Your session has expired. Please sign in again.")
            if _is_api(request):
                return JsonResponse({"detail": message}, status=401)
            messages.info(request, message)
            return redirect(_with_next(reverse(settings.LOGIN_URL), request))
        if AUTH_AT not in session:
            session[AUTH_AT] = current
        if LAST_SEEN not in session or current - last_seen >= _TOUCH_EVERY:
            session[LAST_SEEN] = current

        if request.path.startswith(_EXEMPT_PREFIXES):
            return None
        user = request.user
        if not user.is_verified() and _needs_otp_cached(request, current):
            if _is_api(request):
                return JsonResponse({"detail": _("Two-factor verification required.")}, status=403)
            return redirect(_with_next(reverse("accounts:otp"), request))
        if request.path.startswith(_PASSWORD_PAGE):
            return None
        if user.must_change_password:
            if _is_api(request):
                return JsonResponse({"detail": _("You must change your password first.")}, status=403)
            messages.warning(request, _("Please replace the password you were given with your own."))
            return redirect("accounts:password_change")
        if password_expired(user):
            if _is_api(request):
                return JsonResponse({"detail": _("Your password has expired.")}, status=403)
            messages.warning(request, _("Your password has expired. Please choose a new one."))
            return redirect("accounts:password_change")
        return None


_OTP_FREE_AT = "_cw_otp_free_at"


def _needs_otp_cached(request: HttpRequest, current: float) -> bool:
    """needs_otp(), but a "no second factor needed" answer is reused for a minute so that
    ordinary requests skip the device query. A "needed" answer is never cached."""
    free_at = request.session.get(_OTP_FREE_AT)
    if free_at is not None and 0 <= current - free_at < _TOUCH_EVERY:
        return False
    if needs_otp(request.user):
        request.session.pop(_OTP_FREE_AT, None)
        return True
    request.session[_OTP_FREE_AT] = current
    return False


def password_expired(user) -> bool:
    """Past PASSWORD_MAX_AGE_DAYS under the 等保 policy (ASVS forbids forced periodic changes)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or settings.PASSWORD_POLICY != "dengbao":
        return False
    # A login that never changed its password counts from the day it was created.
    changed = user.password_changed_at or user.date_joined
    return now() - changed.timestamp() > days * 86400
