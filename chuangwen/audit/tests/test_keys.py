"""The audit key: generated once outside the database, overridable from the environment,
rotated without breaking what old keys signed; entries of older installs (unkeyed) still
verify once the migration has appended the first keyed entry after them."""

from __future__ import annotations

import importlib
import stat
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from chuangwen.audit import chain
from chuangwen.audit.models import AuditEntry, AuditHead
from chuangwen.audit.services import log_action, rotate_key, verify_chain
from chuangwen.audit.tests.test_tamper import forge_from, plain_sha256
from chuangwen.envconf import ConfigError, audit_key_file, audit_keys

key_the_chain = importlib.import_module("chuangwen.audit.migrations.0004_key_the_chain").key_the_chain
LONG = "k" * 40


def test_a_key_is_generated_once_in_the_data_folder_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    monkeypatch.delenv("AUDIT_KEY_FILE", raising=False)
    first = audit_keys(tmp_path)
    assert audit_keys(tmp_path) == first
    assert len(first) == 1 and len(first[0]) >= 32
    assert stat.S_IMODE((tmp_path / "audit_key").stat().st_mode) == 0o600


def test_the_environment_overrides_the_key_file(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_KEY", f"{'o' * 40}, {LONG}")
    assert audit_keys(tmp_path) == ["o" * 40, LONG]
    assert audit_key_file(tmp_path) is None
    assert not (tmp_path / "audit_key").exists()
    monkeypatch.delenv("AUDIT_KEY")
    monkeypatch.setenv("AUDIT_KEY_FILE", str(tmp_path / "elsewhere" / "key"))
    assert audit_key_file(tmp_path) == tmp_path / "elsewhere" / "key"
    assert len(audit_keys(tmp_path)) == 1


def test_a_short_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_KEY", "short")
    with pytest.raises(ConfigError, match="shorter than 32"):
        audit_keys(tmp_path)


@pytest.mark.django_db
def test_rotating_the_key_keeps_what_the_old_key_signed_verifying(world, settings, tmp_path):
    key_file = tmp_path / "audit_key"
    key_file.write_text(LONG + "\n")
    settings.AUDIT_KEY_FILE = key_file
    settings.AUDIT_KEYS = [LONG]
    before = log_action(world.office, "test.before")
    out = StringIO()
    call_command("audit", "rotate-key", stdout=out)
    after = log_action(world.office, "test.after")
    assert before.key_id == chain.key_id(LONG)
    assert after.key_id == chain.current_key_id() != before.key_id
    assert f"audit key {after.key_id} added after {before.key_id}" in out.getvalue()
    assert key_file.read_text().splitlines()[0] == LONG
    assert len(key_file.read_text().splitlines()) == 2
    assert AuditEntry.objects.filter(action="audit.key.rotate").exists()
    result = verify_chain()
    assert result.ok, result
    # Dropping the old key from the ring makes its entries unverifiable, and says so.
    settings.AUDIT_KEYS = settings.AUDIT_KEYS[1:]
    assert f"signed with key {before.key_id}" in verify_chain().reason


@pytest.mark.django_db
def test_rotating_refuses_when_the_keys_come_from_the_environment(settings):
    settings.AUDIT_KEY_FILE = None
    with pytest.raises(ValueError, match="AUDIT_KEY"):
        rotate_key()


@pytest.mark.django_db
def test_unkeyed_entries_of_an_older_install_verify_after_the_switch_over(world, monkeypatch):
    monkeypatch.setattr(chain, "current_key_id", lambda: chain.LEGACY)
    old = [log_action(world.office, f"test.old.{i}") for i in range(4)]
    monkeypatch.undo()
    assert {e.key_id for e in old} == {chain.LEGACY}
    # Before the switch-over such a chain is indistinguishable from a rewrite: it fails.
    assert "no entry is signed" in verify_chain().reason
    key_the_chain(apps, None)
    key_the_chain(apps, None)  # a second run changes nothing
    keyed = AuditEntry.objects.order_by("pk").last()
    assert (keyed.action, keyed.prev_hash, keyed.key_id) == (
        "audit.chain.keyed",
        old[-1].entry_hash,
        chain.current_key_id(),
    )
    assert keyed.changes["unkeyed_entries"] == 4
    log_action(world.office, "test.new")
    assert verify_chain().ok
    assert AuditHead.objects.get(pk=1).count == 6


@pytest.mark.django_db
def test_unkeyed_entries_rewritten_after_the_switch_over_are_found(world, monkeypatch):
    monkeypatch.setattr(chain, "current_key_id", lambda: chain.LEGACY)
    old = [log_action(world.office, f"test.old.{i}") for i in range(4)]
    monkeypatch.undo()
    key_the_chain(apps, None)
    switch_over = AuditEntry.objects.get(action="audit.chain.keyed")
    # Re-hash the unkeyed entries from the second on: the keyed entry's link no longer holds…
    forge_from(1, {"actor_name": "forger"}, plain_sha256, stop=4)
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, switch_over.pk)
    assert result.reason == "the link to the previous entry is broken"
    # …and re-hashing the keyed entry too leaves a chain with no keyed entry at all.
    forge_from(1, {"actor_name": "forger"}, plain_sha256)
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, switch_over.pk)
    assert "no entry is signed" in result.reason
    assert old[1].pk < switch_over.pk
