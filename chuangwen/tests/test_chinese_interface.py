"""Every page, as every role, in the Chinese interface: no English words a user can see.

Walks the permission matrix (every app's `tests/matrix.py`), so a page added by any app is
checked without editing this test. Latin words that belong in Chinese text (units, standards,
file formats) are in `visible_text.ALLOWED_WORDS`; user data (names, usernames) is removed
before the check.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import translation

from chuangwen.accounts.models import User
from chuangwen.conftest import ROLES
from chuangwen.tests.test_permission_matrix import all_routes
from chuangwen.tests.visible_text import latin_words, visible_text

pytestmark = pytest.mark.django_db


def _user_data() -> tuple[str, ...]:
    """Values users typed or imported: usernames and every model's `code` (unit, point type)."""
    names = list(User.objects.values_list("username", flat=True))
    names += [n for n in User.objects.values_list("first_name", flat=True) if n]
    for model in apps.get_models():
        if not model.__module__.startswith("chuangwen."):
            continue
        for field_name in ("code", "short_code"):
            try:
                model._meta.get_field(field_name)
            except FieldDoesNotExist:
                continue
            names += [str(v) for v in model.objects.values_list(field_name, flat=True)[:500] if v]
    return tuple(names)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_english_words_in_chinese(world, role, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = world.client(role)
    failures: list[str] = []
    with translation.override("zh-hans"):
        routes = [r for r in all_routes() if not r.is_api and r.method == "GET" and r.status_for(role) == 200]
        for route in routes:
            url = reverse(route.name, kwargs=route.kwargs(world))
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            text = visible_text(response.content.decode())
            words = latin_words(text, _user_data())
            if words:
                where = text.find(words[0])
                failures.append(
                    f"{route.name} ({url}): {' '.join(sorted(set(words)))} — “{text[max(0, where - 30) : where + 40]}”"
                )
    assert not failures, f"English words shown to {role} in zh-hans:\n" + "\n".join(failures)


def test_the_checker_sees_what_a_reader_sees():
    html = (
        "<html><head><title>标题</title></head><body><script>var Latitude = 1;</script>"
        '<label>纬度 Latitude</label><input placeholder="Organiser"><p>GB/T 9704 · 5 km · liaison_a</p>'
        '<input type="submit" value="Send"></body></html>'
    )
    assert sorted(latin_words(visible_text(html), ("liaison_a",))) == ["Latitude", "Organiser", "Send"]
