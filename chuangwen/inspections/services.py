"""Inspection transitions: rounds, choosing and drawing points, recording and scoring observations.

Recording is idempotent: an observation is one row per (round point, item), updated in place;
a photo is kept once per observation (same bytes → same row); a whole checklist sent with a
key that was seen before is answered with the first result and not written again. Every item
that fails files a problem for the point's responsible unit after the transaction commits
(`problem_link`), so a rolled-back save never leaves a problem behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core import geo
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.storage import FileBatch
from chuangwen.inspections import sampling
from chuangwen.inspections.models import (
    ChecklistSubmission,
    Observation,
    ObservationPhoto,
    Round,
    RoundPoint,
    RoundStatus,
    Sampling,
    VisitStatus,
)
from chuangwen.inspections.scoring import evaluate, score_rate
from chuangwen.org.models import Unit
from chuangwen.points.models import ChecklistItem, Point
from chuangwen.points.photos import build_photo, check_photo, write_originals

MAX_PHOTOS_PER_ITEM = 9


@transaction.atomic
def save_round(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> Round:
    is_new = form.instance.pk is None
    round_ = form.save(commit=False)
    if is_new:
        round_.created_by = actor
    round_.save()
    log_action(
        actor,
        "inspections.round.create" if is_new else "inspections.round.update",
        round_,
        {
            "kind": round_.kind,
            "team": round_.team_id,
            "dates": [str(round_.start_date), str(round_.end_date)],
        },
        request=request,
    )
    return round_


_NEXT = {"open": (RoundStatus.DRAFT, RoundStatus.CLOSED), "close": (RoundStatus.OPEN,)}


def set_status(round_: Round, action: str, actor: Any, request: HttpRequest | None = None) -> Round:
    """Open a draft (or reopen a closed round), or close an open one."""
    target = {"open": RoundStatus.OPEN, "close": RoundStatus.CLOSED}.get(action)
    if target is None:
        raise DomainError(_("Unknown action."))
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.status not in _NEXT[action]:
            raise ConflictError(
                _("The round is %(s)s; it cannot be changed that way.") % {"s": locked.get_status_display()}
            )
        if target == RoundStatus.OPEN and not locked.round_points.exists():
            raise DomainError(_("Add or draw points before opening the round."))
        before = locked.status
        locked.status = target
        locked.save(update_fields=["status"])
        log_action(
            actor, f"inspections.round.{action}", locked, {"status": [before, target]}, request=request
        )
    return locked


def _editable(round_: Round) -> None:
    if round_.status == RoundStatus.CLOSED:
        raise DomainError(_("The round is closed."))


_ROUND_POINT_COLUMNS = (
    "round_id",
    "point_id",
    "team_id",
    "sampling_id",
    "seq",
    "status",
    "failed_count",
    "observed_count",
)


def _insert_round_points(rows: list[tuple]) -> None:
    """One executemany: building and compiling hundreds of model instances costs several times
    the insert itself (300 drawn points: ~70 ms in bulk_create against ~5 ms here). Identifiers
    come from the model's metadata, values are parameters."""
    quote = connection.ops.quote_name
    table = quote(RoundPoint._meta.db_table)
    columns = ", ".join(quote(c) for c in _ROUND_POINT_COLUMNS)
    marks = ", ".join(["%s"] * len(_ROUND_POINT_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


@transaction.atomic
def add_points(
    round_: Round,
    points: Iterable[Point | int],
    actor: Any,
    team: Unit | None = None,
    sampling_row: Sampling | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Put points in the round (points already in it are left alone); the number added."""
    _editable(round_)
    present = set(round_.round_points.values_list("point_id", flat=True))
    seq = round_.round_points.order_by("-seq").values_list("seq", flat=True).first() or 0
    team_id = team.pk if team is not None else round_.team_id
    sampling_id = sampling_row.pk if sampling_row is not None else None
    rows = []
    for point in points:
        pk = point if isinstance(point, int) else point.pk
        if pk in present:
            continue
        present.add(pk)
        seq += 1
        rows.append((round_.pk, pk, team_id, sampling_id, seq, VisitStatus.TODO.value, 0, 0))
    _insert_round_points(rows)
    if sampling_row is None and rows:
        log_action(
            actor, "inspections.round.add_points", round_, {"added": [r[1] for r in rows]}, request=request
        )
    return len(rows)


def draw_points(
    round_: Round,
    quotas: Mapping[str, int],
    actor: Any,
    seed: int | None = None,
    within: Unit | None = None,
    request: HttpRequest | None = None,
) -> Sampling:
    """Draw points at random by type quotas and add them to the round; the draw is recorded."""
    _editable(round_)
    quotas = {code: int(n) for code, n in quotas.items() if int(n) > 0}
    if not quotas:
        raise DomainError(_("Give at least one point type with a number of points to draw."))
    seed = sampling.new_seed() if seed is None else int(seed)
    if not 0 <= seed <= sampling.MAX_SEED:
        raise DomainError(_("The seed must be a whole number from 0 to 2^63−1."))
    candidates = Point.objects.filter(is_active=True, point_type__code__in=list(quotas))
    if within is not None:
        candidates = candidates.filter(unit__path__startswith=within.path)
    result = sampling.draw(candidates.values_list("pk", "point_type__code").order_by("pk"), quotas, seed)
    with transaction.atomic():
        row = Sampling.objects.create(
            round=round_,
            seed=seed,
            quotas=quotas,
            within=within,
            candidates_count=result.candidates_count,
            candidates_digest=result.digest,
            drawn=result.ids,
            shortfall=result.shortfall,
            created_by=actor,
        )
        added = add_points(round_, result.ids, actor, sampling_row=row)
        log_action(
            actor,
            "inspections.round.draw",
            round_,
            {
                "seed": seed,
                "quotas": quotas,
                "drawn": len(result.ids),
                "added": added,
                "shortfall": result.shortfall,
                "digest": result.digest,
            },
            request=request,
        )
    return row


@dataclass
class Entry:
    """What the phone sends for one item."""

    item_id: int
    result: str = ""
    occurrences: int | None = None
    value: Decimal | None = None
    note: str = ""
    photos: list[Any] = field(default_factory=list)
    photo_keys: list[str] = field(default_factory=list)


def parse_entry(item_id: Any, data: Mapping[str, Any], photos: list[Any] | None = None) -> Entry:
    """An Entry from form or JSON fields, or DomainError naming the bad field."""
    result = str(data.get("result") or "").strip()
    if result not in ("", "pass", "fail", "na"):
        raise DomainError(_("The result must be pass, fail or not applicable."))
    occurrences = data.get("occurrences")
    if occurrences in ("", None):
        occurrences = None
    else:
        try:
            occurrences = int(occurrences)
        except (TypeError, ValueError) as exc:
            raise DomainError(_("Occurrences must be a whole number.")) from exc
        if not 0 <= occurrences <= 10_000:
            raise DomainError(_("Occurrences must be between 0 and 10000."))
    value = data.get("value")
    if value in ("", None):
        value = None
    else:
        try:
            value = Decimal(str(value))
        except InvalidOperation as exc:
            raise DomainError(_("The value must be a number.")) from exc
        if not value.is_finite() or value < 0 or value > Decimal("99999999"):
            raise DomainError(_("The value must be a number from 0 up."))
    try:
        item_id = int(item_id)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Unknown checklist item.")) from exc
    return Entry(item_id, result, occurrences, value, str(data.get("note") or "")[:500], photos or [])


def _position(
    rp: RoundPoint, lat: Any, lng: Any
) -> tuple[float | None, float | None, float | None, list[str]]:
    """(lat, lng, distance, warnings): a bad fix is dropped with a warning; the entry still saves."""
    if lat in (None, "") and lng in (None, ""):
        return None, None, None, [_("Saved without a location: the phone gave no GPS fix.")]
    try:
        lat_f, lng_f = geo.parse_position(lat, lng)
    except geo.PositionError as exc:
        return None, None, None, [_("Saved without a location: %(why)s") % {"why": exc}]
    distance = rp.point.distance_to(lat_f, lng_f)
    warnings = []
    # Checklists cover the walk around a point (up to 400 m in 城中村): warn beyond twice that.
    if distance is not None and distance > far_from_point(rp.point):
        warnings.append(
            _("Saved %(d)d m from the point: check you are inspecting the right place.")
            % {"d": round(distance)}
        )
    return lat_f, lng_f, distance, warnings


def far_from_point(point: Point) -> float:
    return 2 * max(point.radius_m, 400)


def _round_not_open(captured_at: dt.datetime | None) -> DomainError:
    if captured_at is not None:
        # Queued on a phone without a signal while the round was still open, sent after it closed.
        return ConflictError(
            _(
                "The round was closed before this entry (made %(at)s) reached the server: it is kept "
                "on your phone; ask the office."
            )
            % {"at": timezone.localtime(captured_at).strftime("%Y-%m-%d %H:%M")}
        )
    return DomainError(_("The round is not under way: observations cannot be recorded."))


def record(
    rp: RoundPoint,
    entries: list[Entry],
    actor: Any,
    lat: Any = None,
    lng: Any = None,
    key: str = "",
    request: HttpRequest | None = None,
    captured_at: dt.datetime | None = None,
    gps_accuracy: float | None = None,
) -> dict[str, Any]:
    """Save entries for a round point (one item from the phone, or a whole checklist) and rescore.

    With a `key` seen before, the first answer is returned and nothing is written again.
    `captured_at` is when the phone made the entry (queued offline): the observation keeps it
    as observed_at, beside the time it was received. A round closed meanwhile is a
    ConflictError (the phone keeps the entry and shows why).
    """
    key = (key or "").strip()[:80]
    if key:
        done = ChecklistSubmission.objects.filter(key=key).first()
        if done is not None:
            if done.round_point_id != rp.pk:
                raise DomainError(_("This submission key was used for another point."))
            return {**done.summary, "replayed": True}
    if Round.objects.filter(pk=rp.round_id).values_list("status", flat=True).first() != RoundStatus.OPEN:
        raise _round_not_open(captured_at)
    items = {i.pk: i for i in ChecklistItem.objects.filter(point_type_id=rp.point.point_type_id)}
    for entry in entries:
        if entry.item_id not in items:
            raise DomainError(_("Item %(id)s is not on this point's checklist.") % {"id": entry.item_id})
        if len(entry.photos) > MAX_PHOTOS_PER_ITEM:
            raise DomainError(_("At most %(n)d photos per item.") % {"n": MAX_PHOTOS_PER_ITEM})
    # Photos are checked before anything is written: a bad one refuses the whole save clearly.
    checked = {e.item_id: [check_photo(p) for p in e.photos] for e in entries}
    lat_f, lng_f, distance, warnings = _position(rp, lat, lng)
    now = timezone.now()
    # The originals are written before the round point is locked (a slow storage holds no
    # lock); the batch deletes them again if the save fails, and those of photos already on
    # the observation (a resend) once it succeeds.
    with FileBatch() as batch:
        written = {
            item_id: write_originals(batch, ObservationPhoto._meta.app_label, photos)
            for item_id, photos in checked.items()
        }
        try:
            with transaction.atomic():
                save = _Save(
                    items,
                    entries,
                    checked,
                    written,
                    actor,
                    captured_at or now,
                    (lat_f, lng_f, distance),
                    key,
                    received=now,
                    captured_at=captured_at,
                    gps_accuracy=gps_accuracy if lat_f is not None else None,
                )
                done_write = _write(rp, save)
                result = done_write.summary
                log_action(
                    actor,
                    "inspections.observation.record",
                    rp,
                    {
                        "items": [e.item_id for e in entries],
                        "failed": result["failed_items"],
                        "photos": result["photos_added"],
                        "score_rate": result["score_rate"],
                    },
                    request=request,
                )
        except IntegrityError:
            # A racing resend of the same key stored first: answer with what it stored.
            done = ChecklistSubmission.objects.filter(key=key).first() if key else None
            if done is None:
                raise
            batch.discard()
            return {**done.summary, "replayed": True}
        batch.names = [name for name in batch.names if name not in done_write.used_names]
        batch.discard()
    if done_write.failed_observation_ids:
        from chuangwen.inspections.problem_link import file_problems_on_commit

        file_problems_on_commit(done_write.failed_observation_ids, actor)
    return {**result, "warnings": warnings, "replayed": False}


@dataclass
class _Save:
    """One save's checked inputs: entries, their photos and originals written, who, when, where."""

    items: dict[int, ChecklistItem]
    entries: list[Entry]
    checked: dict
    written: dict[int, list[str]]
    actor: Any
    now: dt.datetime
    position: tuple[float | None, float | None, float | None]  # lat, lng, metres from the point
    key: str
    # Offline entries: `now` above is when the phone made them, `received` when they arrived.
    received: dt.datetime | None = None
    captured_at: dt.datetime | None = None
    gps_accuracy: float | None = None


@dataclass
class _Written:
    summary: dict[str, Any]  # the answer, also stored under the key
    failed_observation_ids: list[int]  # failed items with no problem yet: filed after commit
    used_names: set[str] = field(default_factory=set)  # original files now owned by a photo


def _write(rp: RoundPoint, save: _Save) -> _Written:
    """Under the round point's lock: the observations, their photos, the new score, the key."""
    rp = RoundPoint.objects.select_for_update().select_related("round", "point").get(pk=rp.pk)
    if rp.round.status != RoundStatus.OPEN:  # closed meanwhile: checked again under the lock
        raise _round_not_open(save.captured_at)
    observations = _save_observations(rp, save)
    photos = _add_photos(rp, observations, save)
    summary = rescore(rp, observations.values(), save.items, save.now, save.actor)
    entered = {e.item_id for e in save.entries}
    failed_ids = [
        o.pk for o in observations.values() if o.failed and not o.problem_id and o.item_id in entered
    ]
    answer = {
        "round_point": rp.pk,
        "score_rate": summary["score_rate"],
        "failed_items": summary["failed"],
        "observed": summary["observed"],
        "photos_added": len(photos),
        "items": {
            str(e.item_id): {
                "grade": observations[e.item_id].grade,
                "result": observations[e.item_id].result,
                "failed": observations[e.item_id].failed,
            }
            for e in save.entries
        },
    }
    if save.key:
        ChecklistSubmission.objects.create(
            key=save.key, round_point=rp, user=user_or_none(save.actor), summary=answer
        )
    return _Written(answer, failed_ids, {p.original.name for p in photos})


OBSERVATION_FIELDS = ["result", "grade", "failed", "score", "max_score", "occurrences", "value", "note",
    "inspector", "observed_at", "lat", "lng", "distance_m", "updated_at", "received_at", "gps_accuracy_m"]  # fmt: skip


def _save_observations(rp: RoundPoint, save: _Save) -> dict[int, Observation]:
    """Each entry evaluated into its observation (new or updated); item id -> observation."""
    existing = {o.item_id: o for o in rp.observations.all()}
    config = rp.round.scoring_config
    new, changed = [], []
    for entry in save.entries:
        item = save.items[entry.item_id]
        ev = evaluate(item, entry.result, entry.occurrences, entry.value, config)
        obs = existing.get(item.pk) or Observation(round_point=rp, item=item, observed_at=save.now)
        obs.result, obs.grade, obs.failed = ev.result, ev.grade, ev.failed
        obs.score, obs.max_score = ev.score, ev.max_score
        obs.occurrences, obs.value = entry.occurrences, entry.value
        if entry.note or obs.pk is None:
            obs.note = entry.note
        obs.inspector, obs.observed_at = user_or_none(save.actor), save.now
        obs.updated_at = obs.received_at = save.received or save.now  # bulk_update does not apply auto_now
        if save.position[0] is not None:
            obs.lat, obs.lng, obs.distance_m = save.position
            obs.gps_accuracy_m = save.gps_accuracy
        (changed if obs.pk else new).append(obs)
        existing[item.pk] = obs
    Observation.objects.bulk_create(new)
    Observation.objects.bulk_update(changed, OBSERVATION_FIELDS if changed else ["result"])
    return existing


def _add_photos(rp: RoundPoint, observations: dict[int, Observation], save: _Save) -> list[ObservationPhoto]:
    """The entries' photos not already on their observation (a resend adds nothing twice)."""
    photos = []
    known = set(
        ObservationPhoto.objects.filter(observation__round_point=rp).values_list("observation_id", "sha256")
    )
    for entry in save.entries:
        obs = observations[entry.item_id]
        for (data, info), name in zip(save.checked[entry.item_id], save.written[entry.item_id], strict=True):
            if (obs.pk, info.sha256) in known:
                continue
            known.add((obs.pk, info.sha256))
            photos.append(
                build_photo(
                    ObservationPhoto,
                    data,
                    info,
                    save.actor,
                    with_display=False,
                    original_name=name,
                    observation=obs,
                )
            )
    ObservationPhoto.objects.bulk_create(photos)
    if photos:
        from chuangwen.inspections.jobs import make_display_copies

        ids = [p.pk for p in photos]
        transaction.on_commit(lambda: make_display_copies(ids))
    return photos


def rescore(
    rp: RoundPoint,
    observations: Iterable[Observation],
    items: dict[int, ChecklistItem],
    now: dt.datetime,
    actor: Any,
) -> dict[str, Any]:
    """Point score from its observations; the point's latest result for the map."""
    observations = list(observations)
    active = [i for i in items.values() if i.is_active]
    score, maximum, rate = score_rate((o.score, o.max_score, items[o.item_id].weight) for o in observations)
    failed = sum(1 for o in observations if o.failed)
    observed = sum(1 for o in observations if o.result)
    rp.score, rp.max_score, rp.score_rate = score, maximum, rate
    rp.failed_count, rp.observed_count = failed, observed
    rp.status = VisitStatus.DONE if observed >= len(active) else VisitStatus.IN_PROGRESS
    rp.started_at = rp.started_at or now
    rp.finished_at = now if rp.status == VisitStatus.DONE else None
    rp.inspector = user_or_none(actor) or rp.inspector
    rp.save(
        update_fields=[
            "score",
            "max_score",
            "score_rate",
            "failed_count",
            "observed_count",
            "status",
            "started_at",
            "finished_at",
            "inspector",
        ]
    )
    if rate is not None:
        Point.objects.filter(pk=rp.point_id).update(
            last_score=rate, last_failed=failed, last_inspected_at=now
        )
    return {"score": score, "max_score": maximum, "score_rate": rate, "failed": failed, "observed": observed}
