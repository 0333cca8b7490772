"""The helpers every app uses instead of its own copy: who the actor is, the xlsx download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser

from chuangwen.core.actors import user_id_or_none, user_or_none
from chuangwen.core.xlsx import XLSX_TYPE, xlsx_response


def test_only_a_signed_in_user_is_recorded_as_the_actor(world):
    assert user_or_none(world.office) is world.office
    assert user_id_or_none(world.office) == world.office.pk
    for nobody in (None, AnonymousUser(), "system"):
        assert user_or_none(nobody) is None
        assert user_id_or_none(nobody) is None


def test_the_xlsx_download_names_a_chinese_file_and_carries_the_bytes():
    response = xlsx_response(b"PK\x03\x04data", "整改台账-2026.xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    assert response.content == b"PK\x03\x04data"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('整改台账-2026.xlsx')}" in disposition


def test_an_ascii_name_is_plain():
    assert xlsx_response(b"x", "tasks-20260101.xlsx")["Content-Disposition"] == (
        'attachment; filename="tasks-20260101.xlsx"'
    )


def test_no_app_keeps_its_own_copy_of_the_xlsx_type_or_the_actor_rule():
    """A new copy of either is a second place to fix; the helpers live in core."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    copies = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.parent.name == "core":
            continue
        text = path.read_text(encoding="utf-8")
        if "spreadsheetml.sheet" in text and path.name != "uploads.py":
            copies.append(f"{path.relative_to(root)}: the xlsx MIME type (core.xlsx.XLSX_TYPE)")
        if 'is_authenticated", False) else' in text:
            copies.append(f"{path.relative_to(root)}: the actor rule (core.actors.user_or_none)")
    assert not copies, "\n".join(copies)
