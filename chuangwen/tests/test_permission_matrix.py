"""Walk every page and API route as every role (see tests/matrix.py)."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chuangwen.api import api as ninja_api
from chuangwen.conftest import ROLES
from chuangwen.tests.matrix import Route

# Framework routes that are not ours to matrix-test: Django admin (staff-only, its own checks),
# the OpenAPI docs, language switching and the health probe are covered by their own tests.
IGNORED_NAMESPACES = {"admin", "api"}
IGNORED_NAMES = {"set_language", "healthz"}


def all_routes() -> list[Route]:
    routes: list[Route] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("chuangwen."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.matrix":
                raise
            continue
        routes.extend(module.ROUTES)
    return routes


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in IGNORED_NAMESPACES:
                continue
            names |= url_names(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in IGNORED_NAMES:
            names.add(f"{prefix}{pattern.name}")
    return names


def api_operations() -> set[str]:
    schema = ninja_api.get_openapi_schema()
    ops = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.add(f"{method.upper()} {path}")
    return ops


def test_every_page_is_in_the_matrix():
    listed = {r.name for r in all_routes() if not r.is_api}
    missing = url_names() - listed
    assert not missing, f"pages without a permission-matrix entry: {sorted(missing)}"


def test_every_api_operation_is_in_the_matrix():
    listed = {r.name for r in all_routes() if r.is_api}
    missing = api_operations() - listed
    assert not missing, f"API operations without a permission-matrix entry: {sorted(missing)}"


def _request(world, route: Route, role: str):
    client = world.client(role)
    kwargs = route.kwargs(world)
    data = route.data(world) if route.data else None
    if route.is_api:
        method, path = route.name.split(" ", 1)
        url = path.format(**kwargs)
        if method == "GET":
            return client.get(url, data or {})
        return client.generic(method, url, json.dumps(data or {}), content_type="application/json")
    url = reverse(route.name, kwargs=kwargs)
    if route.method == "POST":
        return client.post(url, data or {})
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_matrix_says(world, role):
    failures = []
    for route in all_routes():
        expected = route.status_for(role)
        response = _request(world, route, role)
        if response.status_code != expected:
            failures.append(f"{route.name} as {role}: expected {expected}, got {response.status_code}")
    assert not failures, "\n".join(failures)
