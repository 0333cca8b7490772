"""Checking the audit chain against itself, its keys and the checkpoints published outside it.

What each check catches:
- a link or a hash that does not hold: an entry altered, inserted or removed in the middle;
- an entry signed with no key, or one this installation does not hold: a rewrite by someone
  without the audit key (once the chain is keyed it stays keyed and must end keyed);
- the head row disagreeing with the last entry: the newest entries removed by someone who did
  not also fix the head;
- the oldest entries missing without a keyed purge (or keying) entry recording that cut;
- a checkpoint naming an entry that is missing or has another hash: the newest entries removed
  (and the head fixed) after the checkpoint was published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from chuangwen.audit import chain, checkpoints
from chuangwen.audit.models import AuditEntry, AuditHead

# Keyed entries that record where the chain now starts (the anchor and the first kept entry).
ANCHOR_ACTIONS = ("audit.purge", "audit.chain.keyed")


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""
    checkpoints: int = 0


def default_checkpoint_files() -> list[Path]:
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    return [path] if path.exists() else []


def _load_checkpoints(files: Iterable[Path]) -> tuple[list[checkpoints.Checkpoint], str]:
    found: list[checkpoints.Checkpoint] = []
    for path in files:
        try:
            found.extend(checkpoints.read(path))
        except (OSError, checkpoints.CheckpointFileError) as exc:
            return [], str(exc)
    for checkpoint in found:
        if not checkpoint.signature_holds():
            return [], f"the checkpoint at {checkpoint.source} is not signed by this installation's audit key"
    return found, ""


@dataclass
class _Walk:
    """What the walk over the chain learnt, for the checks made after it."""

    checked: int = 0
    first_id: int | None = None
    last_id: int = 0
    last_hash: str = ""
    keyed: bool = False
    anchor_record: tuple[int, dict] | None = None
    purges: list[tuple[int, int]] | None = None  # (entry id, entries removed) of keyed purges
    seen: dict[int, tuple[str, int]] | None = None  # checkpointed id -> (hash, position)


def _walk(expected_prev: str, wanted: set[int], batch: int) -> tuple[_Walk, VerifyResult | None]:
    walk = _Walk(purges=[], seen={})
    while True:
        rows = list(AuditEntry.objects.filter(pk__gt=walk.last_id).order_by("pk")[:batch])
        if not rows:
            return walk, None
        for entry in rows:
            broken = _check_entry(entry, expected_prev, walk.keyed)
            if broken:
                return walk, VerifyResult(False, walk.checked, entry.pk, broken)
            if entry.key_id != chain.LEGACY:
                walk.keyed = True
                changes = entry.changes if isinstance(entry.changes, dict) else {}
                if entry.action in ANCHOR_ACTIONS:
                    walk.anchor_record = (entry.pk, changes)
                if entry.action == "audit.purge":
                    walk.purges.append((entry.pk, int(changes.get("removed") or 0)))
            walk.first_id = walk.first_id or entry.pk
            expected_prev = walk.last_hash = entry.entry_hash
            walk.last_id = entry.pk
            walk.checked += 1
            if entry.pk in wanted:
                walk.seen[entry.pk] = (entry.entry_hash, walk.checked)


def _check_entry(entry: AuditEntry, expected_prev: str, keyed_before: bool) -> str:
    if entry.prev_hash != expected_prev:
        return "the link to the previous entry is broken"
    if entry.key_id == chain.LEGACY and keyed_before:
        return "an unkeyed entry follows keyed ones (rewritten without the audit key)"
    try:
        expected = entry.compute_hash()
    except chain.UnknownKeyError:
        return f"signed with key {entry.key_id}, which this installation does not hold"
    if not chain.same(expected, entry.entry_hash):
        return "the content does not match its hash"
    return ""


def _check_ends(head: AuditHead | None, walk: _Walk) -> VerifyResult | None:
    if head is None:
        if walk.checked:
            return VerifyResult(False, walk.checked, None, "the chain head row is missing")
        return None
    if head.last_hash != walk.last_hash or head.last_id != walk.last_id or head.count != walk.checked:
        return VerifyResult(
            False,
            walk.checked,
            walk.last_id or None,
            "entries after this one were removed (or the head was altered)",
        )
    if walk.checked and not walk.keyed:
        return VerifyResult(
            False,
            walk.checked,
            walk.last_id,
            "no entry is signed with the audit key (the log was rewritten, or `chuangwen migrate` has not keyed it yet)",
        )
    recorded = walk.anchor_record[1] if walk.anchor_record else {}
    first_kept = recorded.get("first_kept") or (
        walk.anchor_record[0] if walk.anchor_record else walk.first_id
    )
    if head.anchor_hash != (recorded.get("anchor") or "") or (walk.first_id and walk.first_id != first_kept):
        return VerifyResult(
            False, 0, walk.first_id, "entries before this one were removed without a purge recording it"
        )
    return None


def _check_checkpoints(found: list[checkpoints.Checkpoint], walk: _Walk) -> VerifyResult | None:
    for checkpoint in found:
        if checkpoint.id == 0:  # taken while the log was empty: nothing to find
            continue
        if checkpoint.id in walk.seen:
            entry_hash, position = walk.seen[checkpoint.id]
            if not chain.same(entry_hash, checkpoint.hash):
                return VerifyResult(
                    False,
                    walk.checked,
                    checkpoint.id,
                    f"its hash differs from the checkpoint at {checkpoint.source}",
                )
            removed_since = sum(n for pk, n in walk.purges if pk > checkpoint.id)
            if position + removed_since != checkpoint.count:
                return VerifyResult(
                    False,
                    walk.checked,
                    checkpoint.id,
                    f"the number of entries up to it differs from the checkpoint at {checkpoint.source}",
                )
        elif walk.first_id is None or checkpoint.id > walk.first_id:
            return VerifyResult(
                False,
                walk.checked,
                checkpoint.id,
                f"the entry named by the checkpoint at {checkpoint.source} is missing (entries were removed)",
            )
        # else: older than the oldest kept entry, removed by a purge that _check_ends accounted for
    return None


def verify_chain(batch: int = 5000, checkpoint_files: Iterable[Path] | None = None) -> VerifyResult:
    """Walk the chain oldest first and check it, then the head, the start and every checkpoint
    (from `checkpoint_files`, by default AUDIT_CHECKPOINT_FILE); report the first failure."""
    files = default_checkpoint_files() if checkpoint_files is None else list(checkpoint_files)
    found, problem = _load_checkpoints(files)
    if problem:
        return VerifyResult(False, 0, None, problem)
    head = AuditHead.objects.filter(pk=1).first()
    walk, broken = _walk(head.anchor_hash if head else "", {cp.id for cp in found}, batch)
    if broken is None:
        broken = _check_ends(head, walk) or _check_checkpoints(found, walk)
    if broken is not None:
        broken.checkpoints = len(found)
        return broken
    return VerifyResult(True, walk.checked, checkpoints=len(found))
