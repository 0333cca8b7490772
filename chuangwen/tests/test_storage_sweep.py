"""Files no record references are swept once old enough; the storage is checked at start and by
/healthz (issue 23)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from chuangwen.core.sweep import sweep
from chuangwen.core.tests import storage_fixtures
from chuangwen.core.tests.storage_fixtures import BUCKET, current_storage, s3_options, stored_names
from chuangwen.problems.tests.factories import photo, problem_in_street_a

s3_server = storage_fixtures.s3_server
s3_storage = storage_fixtures.s3_storage
media_storage = storage_fixtures.media_storage


def test_the_sweep_deletes_only_unreferenced_files_older_than_the_grace_period(world, media_storage):
    kept = problem_in_street_a(world, photos=[photo()]).photos.get()
    storage = current_storage()
    orphan = storage.save("problems/original/2026/01/orphan.jpg", ContentFile(b"left by a failed upload"))
    dry = sweep(dt.timedelta(0), dry_run=True)
    assert dry.deleted == [orphan] and orphan in stored_names()
    # A file younger than the grace period may belong to a request still writing its files.
    assert sweep(dt.timedelta(hours=1)).deleted == [] and orphan in stored_names()
    result = sweep(dt.timedelta(0))
    assert result.deleted == [orphan] and result.referenced == 2
    assert stored_names() == {kept.original.name, kept.display.name}


def test_the_sweep_never_touches_files_outside_the_products_folders(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = current_storage()
    foreign = storage.save("db.sqlite3", ContentFile(b"SQLite format 3"))
    other_system = storage.save("backups/2026-01-01.tar.gz", ContentFile(b"..."))
    assert sweep(dt.timedelta(0)).deleted == []
    assert stored_names() == {foreign, other_system}


def test_the_sweep_keeps_a_file_that_two_records_share_when_one_of_them_is_deleted(world, media_storage):
    from chuangwen.materials.tests.factories import file_activity, make_requirement

    first = file_activity(world, make_requirement(world), seeds=(1,))
    names = {first.photos.get().original.name, first.photos.get().display.name}
    assert sweep(dt.timedelta(0)).deleted == [] and stored_names() == names


def test_the_sweep_command_deletes_old_orphans_and_reports_counts(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = current_storage()
    old = storage.save("tasks/reports/2026/01/old.pdf", ContentFile(b"%PDF-1.4"))
    new = storage.save("tasks/reports/2026/01/new.pdf", ContentFile(b"%PDF-1.4"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(storage.path(old), (two_days_ago, two_days_ago))
    out = io.StringIO()
    call_command("sweep_files", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"deleted {old}" in lines
    assert json.loads(lines[-1]) == {"checked": 2, "referenced": 0, "recent": 1, "deleted": 1}
    assert stored_names() == {new}
    with pytest.raises(CommandError):
        call_command("sweep_files", "--grace-hours", "0")


def test_the_nightly_sweep_runs_through_the_worker_and_deletes_old_orphans(world, settings, tmp_path):
    from chuangwen.core.jobs import sweep_files

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_SWEEP_GRACE_HOURS = 1
    storage = current_storage()
    old = storage.save("problems/original/2026/01/old.jpg", ContentFile(b"orphan"))
    an_hour_and_more_ago = time.time() - 2 * 3600
    os.utime(storage.path(old), (an_hour_and_more_ago, an_hour_and_more_ago))
    assert sweep_files.call_local() == {"checked": 1, "referenced": 0, "recent": 0, "deleted": 1}
    assert stored_names() == set()


def test_the_sweep_refuses_to_run_on_a_database_without_its_tables(world, settings, tmp_path, monkeypatch):
    from chuangwen.core import sweep as sweep_module

    settings.MEDIA_ROOT = tmp_path / "media"
    storage = current_storage()
    kept = storage.save("problems/original/2026/01/kept.jpg", ContentFile(b"a photo"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(storage.path(kept), (two_days_ago, two_days_ago))  # old enough to be swept
    monkeypatch.setattr(
        sweep_module.connection.introspection, "table_names", lambda *a, **k: ["django_migrations"]
    )
    with pytest.raises(CommandError, match="migrate"):
        call_command("sweep_files", "--grace-hours", "1")
    assert stored_names() == {kept}


def test_healthz_answers_ok_when_the_bucket_answers_and_503_when_it_is_missing(
    db, client, s3_storage, settings
):
    assert client.get("/healthz").json() == {"status": "ok", "storage": "ok"}
    settings.STORAGES = {**settings.STORAGES, "default": s3_options(s3_storage, bucket="no-such-bucket")}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "storage": "unavailable"}


def test_serve_refuses_to_start_without_the_bucket_and_check_storage_creates_it(db, s3_storage, settings):
    settings.STORAGES = {**settings.STORAGES, "default": s3_options(s3_storage, bucket="made-by-setup")}
    with pytest.raises(CommandError, match="made-by-setup"):
        call_command("serve", "--port", str(storage_fixtures.free_port()), "--skip-migration-check")
    with pytest.raises(CommandError):
        call_command("check_storage")
    out = io.StringIO()
    call_command("check_storage", "--create-bucket", stdout=out)
    assert "made-by-setup" in out.getvalue()
    call_command("check_storage", stdout=io.StringIO())
    assert BUCKET != "made-by-setup"
