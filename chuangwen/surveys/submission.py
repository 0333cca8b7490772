"""Storing responses: once per idempotency key, whole or not at all, one per device and phone
number in public rounds, rate-limited per network address."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.text import normalize_phone
from chuangwen.org.models import Unit, UnitKind
from chuangwen.surveys.compiled import compile_questionnaire
from chuangwen.surveys.models import (
    Answer,
    Channel,
    QuestionnaireStatus,
    RateCounter,
    Response,
    ResponseStatus,
    Round,
)
from chuangwen.surveys.sampling import may_collect_in

_KEY = re.compile(r"^[A-Za-z0-9:._-]{8,80}$")
# Areas a public respondent may pick when the round has no quotas.
PUBLIC_AREA_KINDS = (UnitKind.COMMUNITY, UnitKind.VILLAGE)


class AlreadyAnswered(ConflictError):
    """This device or phone number has already answered the round."""


def hash_secret(kind: str, value: str) -> str:
    """A keyed hash (HMAC-SHA256 with the site's secret key): equal inputs give equal hashes, but
    without the key nobody can test a phone number against the stored value."""
    message = f"surveys:{kind}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def public_areas(round_: Round) -> Any:
    """The areas a public respondent chooses from: the round's quota areas, else every active
    community and village of the campaign's territory."""
    root = round_.questionnaire.campaign.root_unit
    quota_units = round_.quotas.values("unit_id")
    if round_.quotas.exists():
        return Unit.objects.filter(pk__in=quota_units, is_active=True).order_by("path")
    return Unit.objects.under(root).filter(kind__in=PUBLIC_AREA_KINDS, is_active=True).order_by("path")


def _check_round(round_: Round) -> None:
    if not round_.is_open:
        raise DomainError(_("This survey round is not open for responses."))
    if round_.questionnaire.status != QuestionnaireStatus.OPEN:
        raise DomainError(_("This questionnaire is not open for responses."))


def _check_unit(round_: Round, unit: Unit, channel: str, actor: Any) -> None:
    root = round_.questionnaire.campaign.root_unit
    if not unit.is_within(root):
        raise DomainError(_("%(unit)s is outside the campaign's territory.") % {"unit": unit})
    if channel == Channel.ENUMERATOR and not may_collect_in(round_, actor, unit):
        raise DomainError(_("You are not assigned to collect in %(unit)s.") % {"unit": unit})
    if channel == Channel.PUBLIC and not public_areas(round_).filter(pk=unit.pk).exists():
        raise DomainError(_("Choose one of the listed areas."))


def submit_response(
    round_: Round,
    *,
    unit: Unit,
    answers: dict[str, Any],
    idempotency_key: str,
    channel: str,
    actor: Any = None,
    device_id: str = "",
    phone: str = "",
    external_ref: str = "",
    started_at: dt.datetime | None = None,
    submitted_at: dt.datetime | None = None,
) -> tuple[Response, bool]:
    """Store one interview, or return the one already stored under the same key.

    (response, created). A retry of a submission that did reach the server — the phone lost the
    answer, not the request — finds its key and gets the first copy back; two copies racing in
    at once meet the unique constraint and the loser returns the winner's row. The response and
    its answers are written in one transaction: never half a response.
    """
    if not _KEY.match(idempotency_key or ""):
        raise DomainError(_("The submission has no valid idempotency key."))
    existing = _existing(idempotency_key)
    if existing is not None:
        return _same_round(existing, round_), False
    _check_round(round_)
    _check_unit(round_, unit, channel, actor)
    phone_hash = ""
    if phone:
        normalized = normalize_phone(phone)
        if normalized is None:
            raise DomainError(_("Not a valid phone number."))
        phone_hash = hash_secret("phone", normalized)
    elif channel == Channel.PUBLIC and round_.require_phone:
        raise DomainError(_("Enter your phone number."))
    device_hash = hash_secret("device", device_id) if device_id else ""
    if channel == Channel.PUBLIC:
        _check_not_answered(round_, device_hash, phone_hash)
    outcome = compile_questionnaire(round_.questionnaire).validate(answers, started_at, submitted_at)
    response = Response(
        round=round_,
        unit=unit,
        channel=channel,
        status=ResponseStatus.SCREENED_OUT if outcome.screened_out else ResponseStatus.COMPLETE,
        idempotency_key=idempotency_key,
        collected_by=user_or_none(actor),
        sex=outcome.sex,
        age=outcome.age,
        screened_out_by_id=outcome.screened_out_by,
        device_hash=device_hash,
        phone_hash=phone_hash,
        external_ref=external_ref,
        started_at=started_at,
        submitted_at=submitted_at or timezone.now(),
    )
    try:
        with transaction.atomic():
            response.save(force_insert=True)
            _insert_answers(response, outcome.rows)
    except IntegrityError:
        # Somebody stored the same key between our look-up and our insert (a double tap, two
        # tabs, a retry racing the original): the unique constraint decided, return its row.
        existing = _existing(idempotency_key)
        if existing is not None:
            return _same_round(existing, round_), False
        _check_not_answered(round_, device_hash, phone_hash)
        if external_ref and Response.objects.filter(round=round_, external_ref=external_ref).exists():
            raise ConflictError(
                _("Ticket %(ref)s is already in this round.") % {"ref": external_ref}
            ) from None
        raise
    return response, True


# Collection must keep up with a whole district's enumerators and a public link on a poster
# (≥ 200 submissions/s, see `chuangwen bench surveys`). Two steps of every
# submission therefore skip the ORM's per-call query building: the key probe and the answer
# rows (a dozen per interview), written with one executemany. Table and column names come
# from the models, so they follow any rename.
_ANSWER_COLUMNS = (
    "response_id",
    "round_id",
    "unit_id",
    "question_id",
    "option_id",
    "number",
    "text",
    "score",
)


def _insert_answers(response: Response, rows: list) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Answer._meta.get_field(c.removesuffix("_id")).column) for c in _ANSWER_COLUMNS)
    marks = ", ".join(["%s"] * len(_ANSWER_COLUMNS))
    sql = f"INSERT INTO {quote(Answer._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - model names
    values = [
        (
            response.pk,
            response.round_id,
            response.unit_id,
            r.question_id,
            r.option_id,
            r.number,
            r.text,
            r.score,
        )
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _existing(idempotency_key: str) -> Response | None:
    quote = connection.ops.quote_name
    table, column = quote(Response._meta.db_table), quote(Response._meta.get_field("idempotency_key").column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {column} = %s", [idempotency_key])  # noqa: S608
        row = cursor.fetchone()
    return Response.objects.get(pk=row[0]) if row else None


def _same_round(existing: Response, round_: Round) -> Response:
    if existing.round_id != round_.pk:
        raise ConflictError(_("This idempotency key was already used for another round."))
    return existing


def _check_not_answered(round_: Round, device_hash: str, phone_hash: str) -> None:
    conditions = Q(pk__in=[])
    if device_hash:
        conditions |= Q(device_hash=device_hash)
    if phone_hash:
        conditions |= Q(phone_hash=phone_hash)
    if Response.objects.filter(conditions, round=round_).exists():
        raise AlreadyAnswered(
            _("This survey has already been answered from this phone or number. Thank you!")
        )


def device_has_answered(round_: Round, device_id: str) -> bool:
    return (
        bool(device_id)
        and Response.objects.filter(round=round_, device_hash=hash_secret("device", device_id)).exists()
    )


@transaction.atomic
def void_response(
    response: Response, reason: str, actor: Any, request: HttpRequest | None = None
) -> Response:
    """Take a response out of every count and rate (a faked or mistaken interview); it stays
    on record with the reason."""
    current = Response.objects.select_for_update().get(pk=response.pk)
    if current.status == ResponseStatus.VOID:
        raise ConflictError(_("The response is already void."))
    if not reason.strip():
        raise DomainError(_("Give a reason for voiding the response."))
    old = current.status
    current.status = ResponseStatus.VOID
    current.void_reason = reason.strip()[:200]
    current.save(update_fields=["status", "void_reason"])
    current.answers.update(score=None)
    log_action(
        actor, "surveys.response.void", current, {"status": [old, "void"], "reason": reason}, request=request
    )
    return current


def _window_start(now: dt.datetime, seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)


def hit_rate_limit(key: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit for `key` in the current window; False once the limit is passed.

    The counter is a database row incremented with UPDATE … SET count = count + 1, so every web
    process shares it and concurrent hits are never lost.
    """
    now = timezone.now()
    start = _window_start(now, window_seconds)
    with transaction.atomic():
        counter, created = RateCounter.objects.get_or_create(key=key[:100], window_start=start)
        RateCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
        count = RateCounter.objects.filter(pk=counter.pk).values_list("count", flat=True).get()
    if created:
        # Old windows are useless; trimming them when a new one opens keeps the table small.
        RateCounter.objects.filter(window_start__lt=now - dt.timedelta(days=1)).delete()
    return count <= limit
