"""The permission matrix: every page and API route, every role, the status each must get.

Each app lists its routes in `<app>/tests/matrix.py` as `ROUTES = [page(...), api(...)]`.
`test_permission_matrix` walks them all as every role in conftest.ROLES, and fails when a URL
pattern or an API operation exists that no app listed: a new route cannot skip the matrix.

Objects named in a route's arguments belong to street A (or below it), so the sibling liaison
(liaison_b) must get 404 wherever the office gets 200.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Shorthands for the common expectations. A route gives a dict role -> status; any role not
# named gets `default`.
ANON_LOGIN = 302  # a page redirects an anonymous visitor to the sign-in page
ANON_API = 401


@dataclass
class Route:
    name: str  # URL name ("org:unit") or "METHOD /api/path/{param}"
    expect: dict[str, int]
    default: int = 200
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    method: str = "GET"
    data: Callable[[Any], dict[str, Any]] | None = None
    is_api: bool = False

    def status_for(self, role: str) -> int:
        if role in self.expect:
            return self.expect[role]
        if role == "anonymous":
            return ANON_API if self.is_api else ANON_LOGIN
        return self.default


def page(name: str, default: int = 200, kwargs=None, method: str = "GET", data=None, **expect: int) -> Route:
    return Route(
        name=name, expect=expect, default=default, kwargs=kwargs or (lambda w: {}), method=method, data=data
    )


def api(method: str, path: str, default: int = 200, kwargs=None, data=None, **expect: int) -> Route:
    return Route(
        name=f"{method} {path}",
        expect=expect,
        default=default,
        kwargs=kwargs or (lambda w: {}),
        method=method,
        data=data,
        is_api=True,
    )


OFFICE_ONLY = {"office": 200}  # with default=403: everybody else signed in is refused
