"""The upload page: check a roster, see the preview and every problem, then import it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.org import staging
from chuangwen.org.models import Person, Unit, UnitAlias
from chuangwen.org.tests.workbooks import roster, roster_upload, unit_row

pytestmark = pytest.mark.django_db

IMPORT = reverse("org:import")
COMMIT = reverse("org:import_commit")


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"  # messages are asserted in English


def staged_files() -> list[Path]:
    folder = staging.folder()
    return sorted(folder.glob("*")) if folder.exists() else []


def upload(client, data: bytes | None = None, name: str = "名册.xlsx"):
    return client.post(IMPORT, {"file": roster_upload(data, name)})


def test_an_office_admin_checks_a_roster_then_imports_it(world):
    client = world.client("office")
    assert client.get(IMPORT).status_code == 200

    preview = upload(client)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.ok and result.units.new == 2 and result.people.new == 2
    assert "松林九社区" in preview.content.decode()
    token = preview.context["token"]
    assert [p.name for p in staged_files()] == [f"{token}.xlsx"]
    assert not Unit.objects.filter(code="S-A-9").exists()  # checking writes nothing

    done = client.post(COMMIT, {"token": token})

    assert done.status_code == 302 and done["Location"] == reverse("org:units")
    community = Unit.objects.get(code="S-A-9")
    assert community.parent.code == "S-A-P" and community.parent.parent == world.street_a
    assert community.path.startswith(world.street_a.path)
    assert Person.objects.get(name="周九").unit == community
    assert UnitAlias.objects.filter(unit=community).count() == 2
    assert staged_files() == []  # the kept upload is deleted once imported
    entry = AuditEntry.objects.get(action="org.import")
    assert entry.actor == world.office and entry.object_repr == "名册.xlsx"


def test_a_confirmed_upload_cannot_be_imported_twice(world):
    client = world.client("office")
    token = upload(client).context["token"]
    client.post(COMMIT, {"token": token})

    again = client.post(COMMIT, {"token": token}, follow=True)

    assert again.redirect_chain[-1][0] == IMPORT
    assert "expired" in again.content.decode()
    assert AuditEntry.objects.filter(action="org.import").count() == 1


def test_a_token_from_another_session_imports_nothing(world):
    token = upload(world.client("office")).context["token"]
    other = world.client("office")  # the same user signed in elsewhere: another session

    response = other.post(COMMIT, {"token": token})

    assert response.status_code == 302 and response["Location"] == IMPORT
    assert not Unit.objects.filter(code="S-A-9").exists()
    assert len(staged_files()) == 1  # still waiting for the session that uploaded it


def test_a_file_with_errors_lists_each_problem_and_offers_no_import(world):
    bad = roster(
        [unit_row("S-A-9", "松林九社区", "社区", "松林不存在街道")],
        [["周九", "139-abc", "书记", "S-A-9"]],
    )
    client = world.client("office")

    response = upload(client, bad)

    assert response.status_code == 200
    html = response.content.decode()
    errors = response.context["result"].errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("单位", 4, "F"), ("人员", 3, "B")]
    assert 'id="import-errors"' in html and "松林不存在街道" in html
    assert response.context["token"] == "" and COMMIT not in html
    assert staged_files() == []
    assert not Unit.objects.filter(code="S-A-9").exists()


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, "加密.xlsx", "password"),
        ("姓名,手机\n周九,13900000009\n".encode(), "名册.csv", "not an Excel file"),
        (b"PK\x03\x04 broken zip", "坏.xlsx", "damaged"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(world, data, name, words):
    response = upload(world.client("office"), data, name)

    assert response.status_code == 200
    assert response.context["result"] is None
    assert words in " ".join(response.context["form"].errors["file"])
    assert staged_files() == [] and not Unit.objects.filter(code="S-A-9").exists()


def test_an_empty_upload_is_refused(world):
    response = upload(world.client("office"), b"")

    assert response.context["form"].errors["file"]
    assert staged_files() == []


def test_an_oversized_upload_is_refused_before_it_is_read(world, settings):
    settings.UPLOAD_MAX_BYTES = 1024

    response = upload(world.client("office"))

    assert "too large" in " ".join(response.context["form"].errors["file"])
    assert response.context["result"] is None
    assert staged_files() == []


def test_nothing_is_imported_when_the_database_changed_since_the_preview(world):
    client = world.client("office")
    token = upload(client).context["token"]
    # Meanwhile somebody records "九社区" as another unit's alias: the file no longer passes.
    UnitAlias.objects.create(unit=world.community_b, alias="九社区")

    response = client.post(COMMIT, {"token": token})

    assert response.status_code == 200
    assert [e.column for e in response.context["result"].errors] == ["G"]
    assert not Unit.objects.filter(code__in=["S-A-9", "S-A-P"]).exists()
    assert not Person.objects.filter(name__in=["周九", "吴片"]).exists()


@pytest.mark.parametrize("role", ["leader", "liaison_a", "unit_admin_a", "inspector"])
def test_only_office_admins_may_check_or_import_a_roster(world, role):
    client = world.client(role)
    token = upload(world.client("office")).context["token"]

    assert client.get(IMPORT).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(COMMIT, {"token": token}).status_code == 403
    assert not Unit.objects.filter(code="S-A-9").exists()


def test_the_unit_tree_links_to_the_import_for_office_admins_only(world):
    assert IMPORT in world.client("office").get(reverse("org:units")).content.decode()
    assert IMPORT not in world.client("liaison_a").get(reverse("org:units")).content.decode()
