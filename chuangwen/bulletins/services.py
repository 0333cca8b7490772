"""State changes of a bulletin: create a draft, ask for its generation, edit its texts, publish,
or discard a draft.

Each runs in one transaction, locks what may race (`select_for_update` on the bulletin, and on
the number counter when publishing), writes one audit entry and queues background work after
the commit. Views and API routes check the role first; these functions enforce the rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.bulletins import conf
from chuangwen.bulletins.models import BUSY_STATES, Bulletin, BulletinCounter, BulletinStatus, JobState
from chuangwen.campaigns.models import Campaign
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.official_dates import official_span
from chuangwen.org.models import Unit
from chuangwen.problems.rates import STREET_KINDS

TEXT_FIELDS = (
    "title",
    "issuer",
    "issue_date",
    "lead",
    "highlights",
    "good_text",
    "poor_text",
    "requirements",
    "submit_to",
    "copy_to",
)


def params_key(
    campaign: Campaign, start: dt.date, end: dt.date, round_: Any = None, street: Unit | None = None
) -> str:
    return f"c{campaign.pk}:{start.isoformat()}:{end.isoformat()}:r{getattr(round_, 'pk', 0) or 0}:s{getattr(street, 'pk', 0) or 0}"


def _check_params(campaign: Campaign, start: dt.date, end: dt.date, round_: Any, street: Unit | None) -> None:
    if end < start:
        raise DomainError(_("The period ends before it starts."))
    if (end - start).days + 1 > conf.get("BULLETIN_MAX_DAYS"):
        raise DomainError(
            _("A bulletin covers at most %(days)d days.") % {"days": conf.get("BULLETIN_MAX_DAYS")}
        )
    if round_ is not None and round_.campaign_id not in (None, campaign.pk):
        raise DomainError(_("The inspection round belongs to another campaign."))
    if street is not None:
        if street.kind not in STREET_KINDS:
            raise DomainError(_("Choose a street or township."))
        if not street.path.startswith(campaign.root_unit.path):
            raise DomainError(_("The street lies outside the campaign's territory."))


def create_draft(
    actor: Any,
    *,
    campaign: Campaign,
    start: dt.date,
    end: dt.date,
    round_: Any = None,
    street: Unit | None = None,
    request: HttpRequest | None = None,
) -> tuple[Bulletin, bool]:
    """The draft for these parameters: the existing one if there is one (so asking twice, or two
    people at once, never makes two), else a new one. Returns (bulletin, created)."""
    _check_params(campaign, start, end, round_, street)
    key = params_key(campaign, start, end, round_, street)
    existing = Bulletin.objects.filter(params_key=key, status=BulletinStatus.DRAFT).first()
    if existing is not None:
        return existing, False
    office = campaign.office_unit or campaign.root_unit
    first, last = official_span(start, end)  # 2026年12月1日至7日, as official documents write it
    title = _("Bulletin on the inspection of the civilized-city campaign (%(start)s to %(end)s)") % {
        "start": first,
        "end": last,
    }
    if street is not None:
        title = f"{street.name}：{title}"
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                campaign=campaign,
                period_start=start,
                period_end=end,
                round=round_,
                street=street,
                params_key=key,
                title=title,
                issuer=office.name,
                issue_date=timezone.localdate(),
                submit_to=campaign.root_unit.name,
                created_by=user_or_none(actor),
            )
            log_action(
                actor,
                "bulletins.bulletin.create",
                bulletin,
                {
                    "period": f"{start}..{end}",
                    "round": getattr(round_, "pk", None),
                    "street": getattr(street, "pk", None),
                },
                request=request,
            )
    except IntegrityError:
        # Somebody created the same draft between our check and our insert: theirs is ours.
        return Bulletin.objects.get(params_key=key, status=BulletinStatus.DRAFT), False
    return bulletin, True


def _locked(bulletin: Bulletin | int) -> Bulletin:
    """The bulletin's row, locked to the end of the transaction; a draft discarded by someone
    else in the meantime is a conflict, not a server error."""
    try:
        return Bulletin.objects.select_for_update().get(pk=getattr(bulletin, "pk", bulletin))
    except Bulletin.DoesNotExist as exc:
        raise ConflictError(_("This draft was discarded by someone else.")) from exc


def _stale(bulletin: Bulletin) -> bool:
    started = bulletin.job_started_at
    limit = dt.timedelta(minutes=conf.get("BULLETIN_STALE_MINUTES"))
    return bulletin.job_state == JobState.RUNNING and started is not None and timezone.now() - started > limit


def _queue(bulletin: Bulletin) -> None:
    """Hand the bulletin to a worker after the commit (with the token this request set)."""
    from chuangwen.bulletins.jobs import generate_bulletin

    pk, token = bulletin.pk, bulletin.job_token
    transaction.on_commit(lambda: generate_bulletin(pk, token))


def request_generation(
    bulletin: Bulletin | int, actor: Any, request: HttpRequest | None = None, *, force: bool = False
) -> Bulletin:
    """Queue (re)generation of a draft's figures and files, or a retry of a published bulletin's
    files that failed. While a generation is queued or running, asking again changes nothing
    (unless `force`: the texts changed, so the job under way would write outdated files; the
    new token makes that job discard its result)."""
    with transaction.atomic():
        bulletin = _locked(bulletin)
        if bulletin.job_state in BUSY_STATES and not _stale(bulletin) and not force:
            return bulletin
        if not bulletin.is_draft and bulletin.job_state == JobState.DONE:
            raise DomainError(_("A published bulletin cannot be regenerated."))
        bulletin.job_token += 1
        bulletin.job_state = JobState.QUEUED
        bulletin.progress = 0
        bulletin.job_stage = ""
        bulletin.job_error = ""
        bulletin.job_started_at = None
        bulletin.job_finished_at = None
        bulletin.save(
            update_fields=[
                "job_token",
                "job_state",
                "progress",
                "job_stage",
                "job_error",
                "job_started_at",
                "job_finished_at",
                "updated_at",
            ]
        )
        log_action(
            actor, "bulletins.bulletin.generate", bulletin, {"token": bulletin.job_token}, request=request
        )
        _queue(bulletin)
    return bulletin


def update_texts(
    bulletin: Bulletin | int, actor: Any, values: dict[str, Any], request: HttpRequest | None = None
) -> Bulletin:
    """Save the office's texts of a draft and regenerate its files (they contain the texts)."""
    unknown = set(values) - set(TEXT_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "title" in values and not str(values["title"] or "").strip():
        raise DomainError(_("The title cannot be empty."))
    if "issuer" in values and not str(values["issuer"] or "").strip():
        raise DomainError(_("The issuing office cannot be empty."))
    with transaction.atomic():
        bulletin = _locked(bulletin)
        if not bulletin.is_draft:
            raise DomainError(_("A published bulletin cannot be changed."))
        changes = {}
        for name, value in values.items():
            if getattr(bulletin, name) != value:
                changes[name] = value
                setattr(bulletin, name, value)
        if not changes:
            return bulletin
        bulletin.save(update_fields=[*changes, "updated_at"])
        log_action(actor, "bulletins.bulletin.edit", bulletin, changes, request=request)
    return request_generation(bulletin, actor, request=request, force=True)


def _next_number(campaign_id: int, year: int) -> int:
    """The next number of the campaign's year, under a row lock held to the end of the publish
    transaction: a concurrent publish waits, then takes the following number."""
    try:
        with transaction.atomic():
            BulletinCounter.objects.get_or_create(campaign_id=campaign_id, year=year)
    except IntegrityError:
        pass  # created by a concurrent publish; locked below
    counter = BulletinCounter.objects.select_for_update().get(campaign_id=campaign_id, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def publish(bulletin: Bulletin | int, actor: Any, request: HttpRequest | None = None) -> Bulletin:
    """Give the draft its number (第N期), freeze it and write its final files in the background;
    the units it names are notified when those files are ready."""
    with transaction.atomic():
        bulletin = _locked(bulletin)
        if not bulletin.is_draft:
            raise DomainError(_("The bulletin is already published."))
        if bulletin.job_state != JobState.DONE or not bulletin.content:
            raise DomainError(_("Generate the bulletin (and wait for it to finish) before publishing."))
        bulletin.issue_date = bulletin.issue_date or timezone.localdate()
        bulletin.year = bulletin.issue_date.year
        bulletin.number = _next_number(bulletin.campaign_id, bulletin.year)
        bulletin.status = BulletinStatus.PUBLISHED
        bulletin.published_at = timezone.now()
        bulletin.published_by = user_or_none(actor)
        # The files carry the number: they are written again from the frozen content.
        bulletin.job_token += 1
        bulletin.job_state = JobState.QUEUED
        bulletin.progress = 0
        bulletin.job_error = ""
        bulletin.save(
            update_fields=[
                "issue_date",
                "year",
                "number",
                "status",
                "published_at",
                "published_by",
                "job_token",
                "job_state",
                "progress",
                "job_error",
                "updated_at",
            ]
        )
        log_action(
            actor,
            "bulletins.bulletin.publish",
            bulletin,
            {"year": bulletin.year, "number": bulletin.number},
            request=request,
        )
        _queue(bulletin)
    return bulletin


def discard(bulletin: Bulletin | int, actor: Any, request: HttpRequest | None = None) -> None:
    """Delete a draft the office will not publish. A draft has no number yet (numbers are given
    at publishing), so discarding one leaves no gap; its files go after the commit, and a
    generation still running finds its token gone and stores nothing."""
    with transaction.atomic():
        bulletin = _locked(bulletin)
        if not bulletin.is_draft:
            raise DomainError(_("A published bulletin cannot be discarded."))
        files = [(stored.storage, stored.name) for stored in (bulletin.docx, bulletin.pdf) if stored]
        log_action(
            actor,
            "bulletins.bulletin.discard",
            bulletin,
            {
                "title": bulletin.title,
                "period": f"{bulletin.period_start.isoformat()}/{bulletin.period_end.isoformat()}",
            },
            request=request,
        )
        bulletin.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
