"""`chuangwen backup` and `chuangwen restore` bring a database and its media back as they were."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from chuangwen.core.management import snapshot

PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg"


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "before.jpg").write_bytes(PHOTO)
    return settings.MEDIA_ROOT


def _usernames() -> list[str]:
    return sorted(get_user_model().objects.values_list("username", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_backup_round_trips_the_database_and_the_media(tmp_path, media):
    get_user_model().objects.create_user("kept", password="Kept-Passw0rd!")
    Group.objects.create(name="before the backup")
    archive = tmp_path / "backups" / "cw.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "1 media files" in out.getvalue()
    assert archive.stat().st_mode & 0o077 == 0, "the archive holds password hashes: owner only"

    get_user_model().objects.filter(username="kept").delete()
    get_user_model().objects.create_user("added-later", password="Later-Passw0rd!")
    Group.objects.all().delete()
    (media / "photos" / "before.jpg").unlink()
    (media / "after.txt").write_text("uploaded after the backup")

    call_command("restore", str(archive), sure=True, stdout=io.StringIO())

    assert _usernames() == ["kept"]
    assert get_user_model().objects.get(username="kept").check_password("Kept-Passw0rd!")
    assert list(Group.objects.values_list("name", flat=True)) == ["before the backup"]
    assert (media / "photos" / "before.jpg").read_bytes() == PHOTO
    assert not (media / "after.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_the_manifest_names_the_vendor_version_and_migration_state(tmp_path, media):
    archive = tmp_path / "cw.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    manifest = snapshot.read_manifest(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["chuangwen_version"]
    assert "auth.0001_initial" in manifest["migrations"]
    assert manifest["migrations"] == snapshot.applied_migrations()
    assert manifest["media"] == {"included": True, "files": 1, "bytes": len(PHOTO)}


@pytest.mark.django_db(transaction=True)
def test_restore_asks_before_replacing_a_database_that_has_data(tmp_path, media):
    archive = tmp_path / "cw.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    get_user_model().objects.create_user("somebody", password="Some-Passw0rd!")
    with pytest.raises(CommandError, match="--yes-i-am-sure"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert _usernames() == ["somebody"]


@pytest.mark.django_db(transaction=True)
def test_backup_will_not_overwrite_a_file_unless_forced(tmp_path, media):
    archive = tmp_path / "cw.tar.gz"
    archive.write_text("an older backup")
    with pytest.raises(CommandError, match="--force"):
        call_command("backup", str(archive), stdout=io.StringIO())
    call_command("backup", str(archive), force=True, stdout=io.StringIO())
    assert snapshot.read_manifest(archive)["format"] == snapshot.FORMAT


def _forged(tmp_path, manifest_changes: dict, extra: tuple[str, bytes] | None = None):
    archive = tmp_path / "cw.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    manifest = snapshot.read_manifest(archive)
    manifest.update(manifest_changes)
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(forged, "w:gz") as dst:
        for member in src.getmembers():
            data = (
                json.dumps(manifest).encode()
                if member.name == "manifest.json"
                else src.extractfile(member).read()
            )
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
        if extra:
            info = tarfile.TarInfo(extra[0])
            info.size = len(extra[1])
            dst.addfile(info, io.BytesIO(extra[1]))
    return forged


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_another_database_vendor(tmp_path, media):
    other = "postgresql" if connection.vendor == "sqlite" else "mysql"
    forged = _forged(tmp_path, {"database": {"vendor": other, "member": "database.x", "bytes": 1}})
    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", str(forged), sure=True, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_made_by_a_newer_version(tmp_path, media):
    forged = _forged(tmp_path, {"migrations": [*snapshot.applied_migrations(), "audit.9999_from_the_future"]})
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore", str(forged), sure=True, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_that_writes_outside_its_folder(tmp_path, media):
    forged = _forged(tmp_path, {}, extra=("media/../../escaped.txt", b"gotcha"))
    with pytest.raises(CommandError, match="unsafe entry"):
        call_command("restore", str(forged), sure=True, stdout=io.StringIO())
    assert not (tmp_path / "escaped.txt").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "notes.tar.gz"
    junk.write_bytes(b"PK\x03\x04 a zip, not a tarball")
    with pytest.raises(CommandError, match="not a Chuangwen backup"):
        call_command("restore", str(junk), stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="converts into PostgreSQL; runs in the PostgreSQL suite"
)
def test_a_sqlite_backup_converts_into_postgresql_keeping_ids(tmp_path, media):
    office_db = tmp_path / "office.sqlite3"
    archive = tmp_path / "office.tar.gz"
    with snapshot.temporary_sqlite(office_db) as alias:
        call_command("migrate", database=alias, verbosity=0)
        user = (
            get_user_model().objects.db_manager(alias).create_user("office-laptop", password="Lap-Passw0rd!")
        )
        user_id = user.pk
        snapshot.create_snapshot(archive, alias=alias)
    with pytest.raises(CommandError, match="--convert"):
        call_command("restore", str(archive), sure=True, stdout=io.StringIO())
    call_command("restore", str(archive), sure=True, convert=True, stdout=io.StringIO())
    restored = get_user_model().objects.get(username="office-laptop")
    assert restored.pk == user_id
    assert restored.check_password("Lap-Passw0rd!")
    # Sequences follow the loaded ids, so the next row gets a fresh one.
    assert get_user_model().objects.create_user("next", password="Next-Passw0rd!").pk > user_id


def _append_audit_entries(alias: str, actor, count: int) -> None:
    """What log_action writes, into another database: entries with microsecond timestamps."""
    from django.utils import timezone

    from chuangwen.audit import chain
    from chuangwen.audit.models import AuditEntry, AuditHead

    head, _created = AuditHead.objects.using(alias).get_or_create(pk=1)
    for i in range(count):
        entry = AuditEntry(
            created_at=timezone.now().replace(microsecond=123456 + i),
            actor=actor,
            actor_name=actor.username,
            action="test.convert",
            changes={"i": i, "amount": "1.50", "when": "2026-05-01"},
            ip="2001:db8::1",
            prev_hash=head.last_hash,
            key_id=chain.current_key_id(),
        )
        entry.entry_hash = entry.compute_hash()
        entry.save(using=alias)
        head.last_hash, head.last_id, head.count = entry.entry_hash, entry.pk, head.count + 1
        head.save(using=alias)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="converts into PostgreSQL; runs in the PostgreSQL suite"
)
def test_a_converted_backup_keeps_every_field_exactly_and_its_audit_log_verifies(tmp_path, media, settings):
    from django.apps import apps

    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    office_db = tmp_path / "office.sqlite3"
    archive = tmp_path / "office.tar.gz"
    with snapshot.temporary_sqlite(office_db) as alias:
        call_command("migrate", database=alias, verbosity=0)
        user = (
            get_user_model().objects.db_manager(alias).create_user("office-laptop", password="Lap-Passw0rd!")
        )
        _append_audit_entries(alias, user, 5)
        snapshot.create_snapshot(archive, alias=alias)
    call_command("restore", str(archive), sure=True, convert=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "5 entries checked" in out.getvalue()
    with snapshot.temporary_sqlite(office_db) as alias:
        for model in apps.get_models():
            source = list(model._base_manager.using(alias).order_by("pk").values())
            assert list(model._base_manager.order_by("pk").values()) == source, model._meta.label
