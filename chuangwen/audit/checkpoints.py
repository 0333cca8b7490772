"""Signed checkpoints of the audit chain's head, published outside the database.

A keyed chain stops anyone without the key from rewriting entries, but whoever owns the
database can still cut off its newest entries and set the head row back. A checkpoint (the
head's entry id, entry count and hash, a time, signed with the audit key) written at a fixed
interval to an append-only file, the log and optionally a webhook bounds that: `audit verify`
finds the entry each checkpoint names, so a cut behind the latest checkpoint is detected.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from chuangwen.audit import chain
from chuangwen.audit.models import AuditHead

log = logging.getLogger("chuangwen.audit.checkpoint")
WEBHOOK_TIMEOUT = 10
_FIELDS = ("id", "count", "hash", "at", "key_id", "sig")


@dataclass(frozen=True)
class Checkpoint:
    """One published head of the chain, and where it was read from (for messages)."""

    id: int
    count: int
    hash: str
    at: str
    key_id: str
    sig: str
    source: str = ""

    def values(self) -> list[Any]:
        return ["checkpoint", self.id, self.count, self.hash, self.at]

    def signature_holds(self) -> bool:
        try:
            return chain.same(chain.sign(self.values(), self.key_id), self.sig)
        except chain.UnknownKeyError:
            return False

    def as_record(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}


class CheckpointFileError(ValueError):
    """A line of a checkpoint file is not a checkpoint."""


def current(now: datetime | None = None) -> Checkpoint:
    """A signed checkpoint of the head as it is now (the head row changes with each entry in
    one transaction, so its three values always belong together)."""
    head, _created = AuditHead.objects.get_or_create(pk=1)
    kid = chain.current_key_id()
    at = (now or timezone.now()).isoformat()
    unsigned = Checkpoint(head.last_id, head.count, head.last_hash, at, kid, "")
    return Checkpoint(head.last_id, head.count, head.last_hash, at, kid, chain.sign(unsigned.values(), kid))


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: one write per line, never rewriting what is there (the file may be chattr +a).
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _post(url: str, record: dict[str, Any]) -> bool:
    if not url.startswith(("http://", "https://")):
        log.warning("AUDIT_CHECKPOINT_WEBHOOK is not an http(s) URL; skipped")
        return False
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps(record).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            return 200 <= response.status < 300
    except OSError:
        log.exception("audit checkpoint webhook failed")
        return False


def publish(path: Path | None = None) -> Checkpoint:
    """Write a checkpoint of the head to the checkpoint file, the log and the webhook."""
    checkpoint = current()
    record = checkpoint.as_record()
    line = json.dumps(record, sort_keys=True)
    _append(Path(path or settings.AUDIT_CHECKPOINT_FILE), line + "\n")
    log.info("audit checkpoint %s", line)
    if settings.AUDIT_CHECKPOINT_WEBHOOK:
        _post(settings.AUDIT_CHECKPOINT_WEBHOOK, record)
    return checkpoint


def read(path: Path) -> list[Checkpoint]:
    """Every checkpoint in the file, oldest first; a line that is not one raises (with its number).

    Lines copied from the log (`… audit checkpoint {json}`) are read too, so an auditor can
    verify against the log's copy."""
    checkpoints = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text:
            continue
        try:
            record = json.loads(text[text.index("{") :])
            checkpoint = Checkpoint(
                id=int(record["id"]),
                count=int(record["count"]),
                hash=str(record["hash"]),
                at=str(record["at"]),
                key_id=str(record["key_id"]),
                sig=str(record["sig"]),
                source=f"{path}:{number}",
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointFileError(f"{path}:{number} is not an audit checkpoint") from exc
        checkpoints.append(checkpoint)
    return checkpoints


def last_written_at(path: Path) -> datetime | None:
    """When the newest checkpoint in the file was taken (None: no file or no checkpoint)."""
    path = Path(path)
    if not path.exists():
        return None
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 4096))
        lines = [line for line in fh.read().decode("utf-8", "replace").splitlines() if line.strip()]
    try:
        return datetime.fromisoformat(json.loads(lines[-1])["at"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None


def publish_if_due(path: Path | None = None, now: datetime | None = None) -> Checkpoint | None:
    """Publish a checkpoint when the newest one is older than AUDIT_CHECKPOINT_MINUTES."""
    path = Path(path or settings.AUDIT_CHECKPOINT_FILE)
    last = last_written_at(path)
    now = now or timezone.now()
    if last is not None and now - last < timedelta(minutes=settings.AUDIT_CHECKPOINT_MINUTES):
        return None
    return publish(path)
