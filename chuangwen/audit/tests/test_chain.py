"""The hash chain: intact after many actions, and `chuangwen audit verify` finds the first
broken link after a row is altered or removed behind the product's back."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.utils import timezone

from chuangwen.audit.models import AppendOnlyError, AuditEntry, AuditHead
from chuangwen.audit.services import log_action, purge_older_than, verify_chain

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


def fill(world, n: int = 30) -> list[AuditEntry]:
    return [
        log_action(world.office, "org.unit.update", world.street_a, {"name": [f"v{i}", f"v{i + 1}"]})
        for i in range(n)
    ]


def run_verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_chain_is_intact_after_many_actions(world):
    entries = fill(world, 120)
    assert entries[0].prev_hash == ""
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:], strict=False))
    code, output = run_verify()
    assert code == 0
    assert "120 entries checked" in output
    head = AuditHead.objects.get(pk=1)
    assert (head.last_id, head.count) == (entries[-1].pk, 120)


def test_an_empty_log_verifies():
    assert run_verify()[0] == 0


def test_an_altered_row_is_found(world):
    entries = fill(world)
    target = entries[12]
    raw(f"UPDATE {TABLE} SET actor_name = %s WHERE id = %s", ["someone_else", target.pk])  # noqa: S608
    code, message = run_verify()
    assert code == 1
    assert f"entry #{target.pk}" in message
    assert "does not match" in message
    assert verify_chain().checked == 12


def test_altered_changes_are_found(world):
    entries = fill(world)
    raw(f"UPDATE {TABLE} SET changes = %s WHERE id = %s", ['{"name": ["x", "y"]}', entries[3].pk])  # noqa: S608
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, entries[3].pk)


def test_a_deleted_middle_row_is_found(world):
    entries = fill(world)
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[10].pk])  # noqa: S608
    code, message = run_verify()
    assert code == 1
    assert f"entry #{entries[11].pk}" in message  # the entry whose link now points nowhere
    assert "link" in message


def test_a_deleted_first_row_is_found(world):
    entries = fill(world)
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[0].pk])  # noqa: S608
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, entries[1].pk)


def test_a_deleted_last_row_is_found(world):
    entries = fill(world)
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[-1].pk])  # noqa: S608
    code, message = run_verify()
    assert code == 1
    assert "removed" in message
    assert f"entry #{entries[-2].pk}" in message


def test_a_rewritten_row_with_a_recomputed_hash_still_breaks_the_next_link(world):
    entries = fill(world)
    target = AuditEntry.objects.get(pk=entries[5].pk)
    target.actor_name = "forger"
    forged_hash = target.compute_hash()
    raw(
        f"UPDATE {TABLE} SET actor_name = %s, entry_hash = %s WHERE id = %s",  # noqa: S608
        ["forger", forged_hash, target.pk],
    )
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, entries[6].pk)


def test_a_missing_head_row_is_found(world):
    fill(world, 3)
    raw(f"DELETE FROM {AuditHead._meta.db_table}", [])  # noqa: S608
    assert run_verify()[0] == 1


def test_entries_cannot_be_changed_or_deleted_through_the_orm(world):
    entry = fill(world, 2)[0]
    entry.actor_name = "x"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_name="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(action="x", prev_hash="", entry_hash="y")])
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["actor_name"])
    assert AuditEntry.objects.count() == 2
    assert verify_chain().ok


def test_values_that_json_rewrites_still_verify(world):
    # Dates, decimals, tuples and integer keys come back from the JSON column changed; the hash
    # must be computed over what is stored.
    log_action(
        world.office,
        "test.values",
        world.street_a,
        {"when": dt.date(2026, 5, 1), "amount": Decimal("1.50"), "pair": (1, 2), 7: "seven"},
    )
    assert verify_chain().ok


def test_an_ipv6_address_written_in_long_form_still_verifies(world):
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    entry = log_action(world.office, "test.ip", request=request)
    assert AuditEntry.objects.get(pk=entry.pk).ip == "2001:db8::1"
    assert verify_chain().ok


def test_a_garbled_address_is_not_recorded(world):
    entry = log_action(world.office, "test.ip", request=RequestFactory().get("/", REMOTE_ADDR="not-an-ip"))
    assert entry.ip is None
    assert verify_chain().ok


def test_purge_keeps_at_least_the_retention_period_and_the_chain_verifies(world, settings, monkeypatch):
    settings.AUDIT_RETENTION_DAYS = 200
    start = timezone.now()
    moments = iter([start - dt.timedelta(days=d) for d in (400, 300, 250, 150, 10)] + [start] * 10)
    monkeypatch.setattr("chuangwen.audit.services.timezone.now", lambda: next(moments, start))
    entries = [log_action(world.office, f"test.{i}") for i in range(5)]
    monkeypatch.undo()
    # Asking for 30 days still keeps 200: the three entries older than that go.
    removed = purge_older_than(days=30)
    assert removed == 3
    kept = list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True))
    assert kept[:2] == [entries[3].pk, entries[4].pk]
    assert AuditEntry.objects.order_by("pk").last().action == "audit.purge"
    assert verify_chain().ok
    assert purge_older_than() == 0


def test_retention_never_goes_below_180_days(world, settings, monkeypatch):
    settings.AUDIT_RETENTION_DAYS = 30  # refused by settings.py; guarded again here
    start = timezone.now()
    moments = iter([start - dt.timedelta(days=d) for d in (200, 100)])
    monkeypatch.setattr("chuangwen.audit.services.timezone.now", lambda: next(moments, start))
    log_action("system", "test.old")
    log_action("system", "test.recent")
    monkeypatch.undo()
    assert purge_older_than(days=1) == 1
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"test.recent", "audit.purge"}


def test_the_purge_command_has_a_dry_run(world, monkeypatch):
    start = timezone.now()
    moments = iter([start - dt.timedelta(days=d) for d in (500, 1)])
    monkeypatch.setattr("chuangwen.audit.services.timezone.now", lambda: next(moments, start))
    log_action("system", "test.old")
    log_action("system", "test.recent")
    monkeypatch.undo()
    out = StringIO()
    call_command("audit", "purge", "--dry-run", stdout=out)
    assert "would remove 1 entries" in out.getvalue()
    assert AuditEntry.objects.count() == 2
    call_command("audit", "purge", stdout=out)
    assert "removed 1 entries" in out.getvalue()
    assert run_verify()[0] == 0


def test_the_cli_exits_1_on_a_broken_chain(world):
    entries = fill(world, 3)
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[1].pk])  # noqa: S608
    from chuangwen.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["chuangwen", "audit", "verify"])
    assert exc.value.code == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_on_postgresql_keep_a_single_chain(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    threads_n, per_thread = 8, 25
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                log_action("system", "test.concurrent", changes={"thread": n, "i": i})
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = verify_chain()
    assert result.ok, result
    assert result.checked == threads_n * per_thread
    prevs = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == len(set(prevs))  # no fork: every entry has its own predecessor
