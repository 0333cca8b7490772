"""The role checks every app's pages use: `has_any_role` and the `role_required` decorator.

They ask the user object (`User.has_role`, which reads the memberships once per request), so
they import no app: the apps below accounts in the layers (audit, org) check roles with them
too. `chuangwen.accounts.permissions` re-exports both; each app names its capabilities (which
roles may do what) in its own `permissions.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


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
