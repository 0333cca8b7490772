"""Session policy: idle and absolute timeouts, the second factor, password expiry."""

from __future__ import annotations

import time
from collections.abc import Callable

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

_EXEMPT_PREFIXES = ("/static/", "/accounts/logout", "/accounts/otp/", "/accounts/login", "/healthz", "/i18n/")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


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
        now = time.time()
        session = request.session
        auth_at = session.get(AUTH_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        if (
            now - last_seen > settings.SESSION_IDLE_TIMEOUT
            or now - auth_at > settings.SESSION_ABSOLUTE_TIMEOUT
        ):
            logout(request)
            if _is_api(request):
                return JsonResponse(
                    {"detail": _("Your session has expired. Please sign in again.")}, status=401
                )
            messages.info(request, _("Your session has expired. Please sign in again."))
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        if AUTH_AT not in session:
            session[AUTH_AT] = now
        if now - last_seen >= _TOUCH_EVERY or LAST_SEEN not in session:
            session[LAST_SEEN] = now

        if request.path.startswith(_EXEMPT_PREFIXES):
            return None
        user = request.user
        if needs_otp(user) and not user.is_verified():
            if _is_api(request):
                return JsonResponse({"detail": _("Two-factor verification required.")}, status=403)
            return redirect(f"{reverse('accounts:otp')}?next={request.path}")
        if _password_expired(user) and not request.path.startswith("/accounts/password"):
            if _is_api(request):
                return JsonResponse({"detail": _("Your password has expired.")}, status=403)
            messages.warning(request, _("Your password has expired. Please choose a new one."))
            return redirect("accounts:password_change")
        return None


def _password_expired(user) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or settings.PASSWORD_POLICY != "dengbao" or user.password_changed_at is None:
        return False
    return time.time() - user.password_changed_at.timestamp() > days * 86400
