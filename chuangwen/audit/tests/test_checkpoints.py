"""Checkpoints: published on a schedule, by command, to a file, the log and a webhook; verify
checks every one of them, also through retention purges and from a copy of the log."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from chuangwen.audit import checkpoints
from chuangwen.audit.jobs import publish_audit_checkpoint
from chuangwen.audit.models import AuditEntry
from chuangwen.audit.services import log_action, purge_older_than, verify_chain

pytestmark = pytest.mark.django_db


def test_a_checkpoint_names_the_head_and_is_appended_to_the_file(world, _checkpoint_file):
    first = log_action(world.office, "test.one")
    checkpoints.publish()
    second = log_action(world.office, "test.two")
    checkpoints.publish()
    records = [json.loads(line) for line in _checkpoint_file.read_text().splitlines()]
    assert [(r["id"], r["count"], r["hash"]) for r in records] == [
        (first.pk, 1, first.entry_hash),
        (second.pk, 2, second.entry_hash),
    ]
    assert all(checkpoint.signature_holds() for checkpoint in checkpoints.read(_checkpoint_file))
    assert verify_chain().checkpoints == 2


def test_the_checkpoint_command_publishes_and_verify_counts_it(world):
    log_action(world.office, "test.one")
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert "checkpoint written" in out.getvalue()
    call_command("audit", "verify", stdout=out)
    assert "1 entries checked, 1 checkpoints match" in out.getvalue()


def test_the_worker_publishes_only_when_the_interval_has_passed(world, settings, _checkpoint_file):
    settings.AUDIT_CHECKPOINT_MINUTES = 60
    log_action(world.office, "test.one")
    publish_audit_checkpoint.call_local()
    publish_audit_checkpoint.call_local()
    assert len(checkpoints.read(_checkpoint_file)) == 1
    later = timezone.now() + dt.timedelta(minutes=61)
    assert checkpoints.publish_if_due(now=later) is not None
    assert len(checkpoints.read(_checkpoint_file)) == 2


def test_a_checkpoint_goes_to_the_log_and_verify_reads_a_copy_of_the_log(world, tmp_path, caplog):
    entry = log_action(world.office, "test.one")
    with caplog.at_level(logging.INFO, logger="chuangwen.audit.checkpoint"):
        checkpoints.publish()
    logged = [r.getMessage() for r in caplog.records if r.name == "chuangwen.audit.checkpoint"]
    assert len(logged) == 1
    excerpt = tmp_path / "from-the-log.txt"
    excerpt.write_text(f"2026-12-07 10:00:00 INFO {logged[0]}\n")
    assert verify_chain(checkpoint_files=[excerpt]).ok
    out = StringIO()
    call_command("audit", "verify", "--checkpoints", str(excerpt), stdout=out)
    assert "1 entries checked, 1 checkpoints match" in out.getvalue()
    # The log's copy still catches a cut even if the checkpoint file is gone.
    AuditEntry.objects.filter(pk=entry.pk)._raw_delete(AuditEntry.objects.db)
    result = verify_chain(checkpoint_files=[excerpt])
    assert not result.ok


def test_a_checkpoint_is_posted_to_the_webhook(world, settings):
    received: list[dict] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)  # a free port: parallel runs never collide
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        settings.AUDIT_CHECKPOINT_WEBHOOK = f"http://127.0.0.1:{server.server_address[1]}/checkpoints"
        entry = log_action(world.office, "test.one")
        checkpoints.publish()
        thread.join(timeout=10)
    finally:
        server.server_close()
    assert [(r["id"], r["hash"]) for r in received] == [(entry.pk, entry.entry_hash)]
    assert checkpoints.Checkpoint(**received[0]).signature_holds()


def test_verify_names_a_checkpoint_file_that_does_not_exist(world, tmp_path):
    with pytest.raises(Exception, match="does not exist"):
        call_command("audit", "verify", "--checkpoints", str(tmp_path / "nope.jsonl"), stdout=StringIO())


def test_checkpoints_still_verify_after_a_retention_purge(world, settings, monkeypatch):
    settings.AUDIT_RETENTION_DAYS = 200
    start = timezone.now()
    moments = iter([start - dt.timedelta(days=d) for d in (400, 300, 250)])
    monkeypatch.setattr("chuangwen.audit.services.timezone.now", lambda: next(moments, start))
    for i in range(3):
        log_action(world.office, f"test.old.{i}")
    checkpoints.publish()  # names an entry the purge removes
    for i in range(3):
        log_action(world.office, f"test.recent.{i}")
    checkpoints.publish()  # names a kept entry; its count includes the purged ones
    monkeypatch.undo()
    assert purge_older_than() == 3
    result = verify_chain()
    assert result.ok, result
    assert result.checkpoints == 2
    checkpoints.publish()
    assert verify_chain().ok
