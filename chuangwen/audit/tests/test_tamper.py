"""Attacks by whoever owns the database but not the audit key: rewriting entries and
recomputing every later hash, cutting off the newest or oldest entries and fixing the head.
The keyed chain and the checkpoints published outside the database catch each of them."""

from __future__ import annotations

import hashlib
import hmac
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from chuangwen.audit import chain, checkpoints
from chuangwen.audit.models import AuditEntry, AuditHead
from chuangwen.audit.services import log_action, verify_chain

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table
HEAD = AuditHead._meta.db_table


def fill(world, n: int = 12) -> list[AuditEntry]:
    return [
        log_action(world.office, "org.unit.update", world.street_a, {"name": [f"v{i}", f"v{i + 1}"]})
        for i in range(n)
    ]


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def run_verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def forge_from(start: int, rewrite: dict, sign, stop: int | None = None) -> None:
    """Rewrite entry `start` with `rewrite` and re-sign it and every later entry (up to `stop`)
    with `sign` (what an attacker holding only the database can do), then point the head at
    the new tip."""
    rows = list(AuditEntry.objects.order_by("pk"))[:stop]
    prev = rows[start - 1].entry_hash if start else ""
    for index, entry in enumerate(rows[start:]):
        if index == 0:
            for name, value in rewrite.items():
                setattr(entry, name, value)
        entry.prev_hash = prev
        entry.key_id, entry.entry_hash = sign(entry)
        raw(
            f"UPDATE {TABLE} SET actor_name = %s, prev_hash = %s, entry_hash = %s, key_id = %s WHERE id = %s",  # noqa: S608
            [entry.actor_name, entry.prev_hash, entry.entry_hash, entry.key_id, entry.pk],
        )
        prev = entry.entry_hash
    if stop is None:
        raw(f"UPDATE {HEAD} SET last_hash = %s WHERE id = 1", [prev])  # noqa: S608


def plain_sha256(entry: AuditEntry) -> tuple[str, str]:
    return chain.LEGACY, hashlib.sha256(chain.canonical(chain.entry_values(entry))).hexdigest()


def guessed_key(entry: AuditEntry) -> tuple[str, str]:
    kid = chain.current_key_id()  # the id is public; the key is not
    data = chain.canonical([kid, *chain.entry_values(entry)])
    return kid, hmac.new(b"a guess at the key" * 3, data, hashlib.sha256).hexdigest()


def real_key(entry: AuditEntry) -> tuple[str, str]:
    entry.key_id = chain.current_key_id()
    return entry.key_id, entry.compute_hash()


def test_new_entries_are_signed_with_the_audit_key(world):
    entry = fill(world, 1)[0]
    assert entry.key_id == chain.current_key_id() != chain.LEGACY
    # Plain SHA-256 of the same content is not what is stored: the hash needs the key.
    assert entry.entry_hash != plain_sha256(entry)[1]


def test_an_entry_rewritten_with_every_later_hash_recomputed_is_found(world):
    entries = fill(world)
    forge_from(5, {"actor_name": "forger"}, plain_sha256)
    code, message = run_verify()
    assert code == 1
    assert f"entry #{entries[5].pk}" in message
    assert "unkeyed entry follows keyed ones" in message


def test_an_entry_re_signed_with_a_guessed_key_is_found(world):
    entries = fill(world)
    forge_from(5, {"actor_name": "forger"}, guessed_key)
    result = verify_chain()
    assert (result.ok, result.broken_id, result.reason) == (
        False,
        entries[5].pk,
        "the content does not match its hash",
    )


def test_the_whole_log_rewritten_without_the_key_is_found(world):
    entries = fill(world)
    forge_from(0, {"actor_name": "forger"}, plain_sha256)
    result = verify_chain()
    assert not result.ok
    assert result.broken_id == entries[-1].pk
    assert "no entry is signed with the audit key" in result.reason


def test_the_newest_entries_cut_off_with_the_head_fixed_are_found_by_a_checkpoint(world):
    entries = fill(world)
    checkpoints.publish()
    raw(f"DELETE FROM {TABLE} WHERE id > %s", [entries[7].pk])  # noqa: S608
    raw(
        f"UPDATE {HEAD} SET last_hash = %s, last_id = %s, count = %s WHERE id = 1",  # noqa: S608
        [entries[7].entry_hash, entries[7].pk, 8],
    )
    code, message = run_verify()
    assert code == 1
    assert f"entry #{entries[-1].pk}" in message
    assert "checkpoint" in message and "missing" in message


def test_without_a_checkpoint_the_same_cut_goes_unseen(world):
    # Why checkpoints exist: the database alone cannot prove its newest entries are all there.
    entries = fill(world)
    raw(f"DELETE FROM {TABLE} WHERE id > %s", [entries[7].pk])  # noqa: S608
    raw(
        f"UPDATE {HEAD} SET last_hash = %s, last_id = %s, count = %s WHERE id = 1",  # noqa: S608
        [entries[7].entry_hash, entries[7].pk, 8],
    )
    assert verify_chain().ok


def test_a_rewrite_by_someone_holding_the_key_still_differs_from_a_checkpoint(world):
    entries = fill(world)
    checkpoints.publish()
    forge_from(3, {"actor_name": "forger"}, real_key)
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, entries[-1].pk)
    assert "hash differs from the checkpoint" in result.reason
    # …and the chain alone (no checkpoint file) would have passed.
    assert verify_chain(checkpoint_files=[]).ok


def test_the_oldest_entries_removed_with_the_anchor_fixed_are_found(world):
    entries = fill(world)
    raw(f"DELETE FROM {TABLE} WHERE id < %s", [entries[4].pk])  # noqa: S608
    raw(f"UPDATE {HEAD} SET anchor_hash = %s, count = count - 4 WHERE id = 1", [entries[4].prev_hash])  # noqa: S608
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, entries[4].pk)
    assert "without a purge" in result.reason


def test_a_forged_checkpoint_is_refused(world, _checkpoint_file):
    fill(world, 3)
    checkpoints.publish()
    record = json.loads(_checkpoint_file.read_text())
    record["count"] = 2
    _checkpoint_file.write_text(json.dumps(record) + "\n")
    code, message = run_verify()
    assert code == 1
    assert "is not signed by this installation's audit key" in message


def test_a_garbled_checkpoint_line_is_reported_with_its_number(world, _checkpoint_file):
    checkpoints.publish()
    with _checkpoint_file.open("a") as fh:
        fh.write("not json\n")
    result = verify_chain()
    assert not result.ok
    assert result.reason == f"{_checkpoint_file}:2 is not an audit checkpoint"


def test_entries_signed_with_a_key_this_installation_lacks_are_reported(world, settings):
    entries = fill(world, 2)
    settings.AUDIT_KEYS = ["another-installation-key-" + "x" * 20]
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, entries[0].pk)
    assert f"signed with key {entries[0].key_id}" in result.reason
