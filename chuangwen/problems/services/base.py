"""Shared helpers of the problem transitions: locking with a version check, state checks,
and recording a transition (timeline row, audit entry, notification after commit)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.storage import FileBatch
from chuangwen.problems import notify
from chuangwen.problems.models import Channel, PhotoKind, Problem, ProblemEvent, ProblemPhoto, Status
from chuangwen.problems.photos import CheckedPhoto, store

# Public channels wait for the office to confirm the suggested unit (spam, vague reports);
# staff, API and imported problems with a routed unit go straight to that unit.
TRIAGED_CHANNELS = (Channel.PUBLIC, Channel.OPEN311)
T = TypeVar("T")
REASSIGNABLE = (Status.DISPATCHED, Status.ACCEPTED, Status.RECTIFYING, Status.EXTENSION_REQUESTED)


def actor_name(actor: Any) -> str:
    if isinstance(actor, str):
        return actor
    if getattr(actor, "is_authenticated", False):
        return str(actor)
    return "system"


def _user(actor: Any) -> Any:
    return user_or_none(actor)


def _lock(problem: Problem | int, version: int | None) -> Problem:
    pk = problem.pk if isinstance(problem, Problem) else problem
    current = Problem.objects.select_for_update(of=("self",)).select_related("category").get(pk=pk)
    if version is not None and current.version != int(version):
        raise ConflictError(
            _(
                "Somebody else changed problem #%(id)d while you were looking at it; it is now “%(status)s”. "
                "Reload the page and check before acting again."
            )
            % {"id": current.pk, "status": current.get_status_display()}
        )
    return current


def _expect(problem: Problem, statuses: Iterable[str], action: str) -> None:
    if problem.status not in statuses:
        raise DomainError(
            _("Problem #%(id)d is “%(status)s”; it cannot be %(action)s now.")
            % {"id": problem.pk, "status": problem.get_status_display(), "action": action}
        )


def _require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message)
    return text


def _record(
    problem: Problem,
    actor: Any,
    kind: str,
    fields: list[str],
    from_status: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    public: bool = False,
    request: HttpRequest | None = None,
) -> Problem:
    """Save the changed fields with a new version, then the timeline row, audit entry, notice."""
    problem.version += 1
    problem.save(update_fields=[*fields, "version", "updated_at"])
    ProblemEvent.objects.create(
        problem=problem,
        actor=_user(actor),
        actor_name=actor_name(actor),
        kind=kind,
        from_status=from_status,
        to_status=problem.status,
        note=note,
        data=data or {},
        is_public=public,
    )
    changes = {"status": [from_status, problem.status], **(data or {})}
    if note:
        changes["note"] = note
    log_action(
        actor, f"problems.problem.{kind}", problem, changes, request=request, object_repr=f"#{problem.pk}"
    )
    notify.on_event(problem, kind, note)
    return problem


def prepare_photos(
    photos: Iterable[CheckedPhoto], kind: str, actor: Any, batch: FileBatch
) -> list[ProblemPhoto]:
    """Photo rows with their files (original + display copy) already written to storage, not
    yet saved: re-encoding and file I/O happen before a transaction takes a lock, and `batch`
    deletes the files again if the request fails (a third photo that cannot be written takes
    the first two with it)."""
    rows = []
    for photo in photos:
        original, display = store(photo)
        row = ProblemPhoto(
            kind=kind,
            content_type=photo.content_type,
            sha256=photo.sha256,
            size=len(photo.data),
            width=photo.width,
            height=photo.height,
            taken_at=photo.taken_at,
            uploaded_by=_user(actor),
        )
        row.original.name = batch.write(
            "problems/original", original.name.rsplit(".", 1)[-1], original.read()
        )
        row.display.name = batch.write("problems/display", "jpg", display.read())
        rows.append(row)
    return rows


def photos_first(transition: Callable[..., T]) -> Callable[..., T]:
    """Run a transition that takes `photos` in its own transaction, with the photo files
    written *before* it opens: a storage that hangs never keeps the problem's row locked (a
    second upload to the same problem would wait behind it). If the transition fails, the
    files this call wrote are deleted; those of other records are never touched."""
    atomic = transaction.atomic(transition)

    @functools.wraps(transition)
    def run(problem: Problem | int, actor: Any, *args: Any, photos: Iterable[Any] = (), **kwargs: Any) -> T:
        photos = list(photos)
        with FileBatch() as batch:
            checked = [p for p in photos if not isinstance(p, ProblemPhoto)]
            prepared = [p for p in photos if isinstance(p, ProblemPhoto)]
            # The kind is provisional: attach_photos gives each row the transition's kind.
            prepared += prepare_photos(checked, PhotoKind.BEFORE, actor, batch)
            return atomic(problem, actor, *args, photos=prepared, **kwargs)

    return run


def attach_photos(
    problem: Problem, photos: Iterable[CheckedPhoto | ProblemPhoto], kind: str, actor: Any
) -> list[ProblemPhoto]:
    """Save photos (checked or prepared) on the problem, in its current round."""
    photos = list(photos)
    prepared = [p for p in photos if isinstance(p, ProblemPhoto)]
    checked = [p for p in photos if not isinstance(p, ProblemPhoto)]
    if checked:
        # Callers should prepare photos before their transaction (photos_first); this
        # fallback at least deletes its files again if the rest of this call fails.
        with FileBatch() as batch:
            prepared += prepare_photos(checked, kind, actor, batch)
    for row in prepared:
        row.problem = problem
        row.kind = kind
        row.round = problem.rework_count
        row.save()
    return prepared
