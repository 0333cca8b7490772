"""Role checks for actions. What a user may *see* is decided by accounts.scope; what a user
may *do* is decided here, by the roles the user holds."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from chuangwen.accounts.models import Role

# Named capabilities, so views say what they need rather than listing roles each time.
MANAGE_ORG = (Role.OFFICE_ADMIN,)
MANAGE_PEOPLE = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN)
MANAGE_CAMPAIGN = (Role.OFFICE_ADMIN,)
READ_AUDIT = (Role.OFFICE_ADMIN,)


def has_any_role(user: Any, roles: tuple[str, ...]) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*roles)


def role_required(*roles: str) -> Callable:
    """Login required, then one of the roles, else 403 (a Chinese error page)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
