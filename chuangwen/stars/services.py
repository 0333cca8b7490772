"""State changes of star ratings: the scheme and aspects, opening a rating, scores, evidence and
the 自荐 → 乡镇审查 → 县验收 workflow. Each change locks the rating row, checks the version the
user was shown (a stale one is a ConflictError, never a silent overwrite) and writes an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Membership, Role
from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scope_for
from chuangwen.audit.services import diff, log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.materials.uploads import StoredFiles, check_uploads
from chuangwen.org.models import Unit, UnitKind
from chuangwen.stars.models import (
    DEFAULT_ASPECTS,
    MAX_SCORE,
    SCORE_STEP,
    Aspect,
    AspectScore,
    Evidence,
    EvidenceKind,
    Rating,
    RatingStatus,
    RatingStep,
    Stage,
    StarScheme,
    StepAction,
)
from chuangwen.stars.permissions import ACCEPT, FILL, REVIEW

COMMUNITY_KINDS = (UnitKind.COMMUNITY, UnitKind.VILLAGE)
MAX_EVIDENCE = 20  # per aspect: enough photos and papers for one aspect, not a photo archive


def _user(actor: Any) -> Any:
    return user_or_none(actor)


def setup_for(campaign: Campaign) -> tuple[StarScheme, list[Aspect]]:
    """The campaign's scheme and active aspects; the ten default aspects when it has none."""
    scheme, _created = StarScheme.objects.get_or_create(campaign=campaign)
    if not Aspect.objects.filter(campaign=campaign).exists():
        Aspect.objects.bulk_create(
            [Aspect(campaign=campaign, seq=i, name=name) for i, name in enumerate(DEFAULT_ASPECTS, start=1)],
            ignore_conflicts=True,
        )
    return scheme, list(Aspect.objects.filter(campaign=campaign, is_active=True))


@dataclass
class AspectInput:
    name: str
    description: str = ""


def save_setup(
    campaign: Campaign,
    star_threshold: Any,
    top_stars: int,
    pass_stars: int,
    aspects: list[AspectInput],
    actor: Any,
    request: HttpRequest | None = None,
) -> tuple[StarScheme, list[Aspect]]:
    """Change the thresholds and the aspect list. Aspects left out are deactivated, not deleted
    (ratings already scored on them keep their scores)."""
    try:
        threshold = Decimal(str(star_threshold))
    except (InvalidOperation, ValueError):
        raise DomainError(_("The score that earns a star is not a number.")) from None
    if not Decimal("0") < threshold <= MAX_SCORE:
        raise DomainError(_("The score that earns a star must be above 0 and at most 10."))
    names = [a.name.strip() for a in aspects if a.name.strip()]
    if not names:
        raise DomainError(_("List at least one aspect."))
    if len(set(names)) != len(names):
        raise DomainError(_("Two aspects have the same name."))
    if not 1 <= int(pass_stars) <= int(top_stars) <= len(names):
        raise DomainError(
            _(
                "Stars to pass must be at least 1 and at most the stars of the top title, which is at most the number of aspects (%(n)d)."
            )
            % {"n": len(names)}
        )
    with transaction.atomic():
        setup_for(campaign)
        scheme = StarScheme.objects.select_for_update().get(campaign=campaign)
        before = {
            "star_threshold": str(scheme.star_threshold),
            "top_stars": scheme.top_stars,
            "pass_stars": scheme.pass_stars,
            "aspects": list(
                Aspect.objects.filter(campaign=campaign, is_active=True).values_list("name", flat=True)
            ),
        }
        scheme.star_threshold = threshold.quantize(Decimal("0.01"))
        scheme.top_stars, scheme.pass_stars = int(top_stars), int(pass_stars)
        scheme.save(update_fields=["star_threshold", "top_stars", "pass_stars", "updated_at"])
        existing = {a.name: a for a in Aspect.objects.select_for_update().filter(campaign=campaign)}
        for seq, item in enumerate(aspects, start=1):
            name = item.name.strip()
            if not name:
                continue
            aspect = existing.pop(name, None) or Aspect(campaign=campaign, name=name[:60])
            aspect.seq, aspect.description, aspect.is_active = seq, item.description.strip()[:300], True
            aspect.save()
        for aspect in existing.values():
            if aspect.is_active:
                aspect.is_active = False
                aspect.save(update_fields=["is_active"])
        after = {
            "star_threshold": str(scheme.star_threshold),
            "top_stars": scheme.top_stars,
            "pass_stars": scheme.pass_stars,
            "aspects": names,
        }
        log_action(actor, "stars.scheme.update", scheme, diff(before, after), request=request)
    return setup_for(campaign)


# --- who may act at which stage -------------------------------------------------------------


# Seed 001 names three bodies: 社区自荐, 乡镇审查, 县…办公室组织检查验收. Each stage is its own body's,
# and whoever filled in an earlier stage of a rating may not approve it at a later one.
EARLIER_STAGES = {
    Stage.TOWNSHIP: (Stage.SELF,),
    Stage.COUNTY: (Stage.SELF, Stage.TOWNSHIP),
}


def _filled_earlier(user: Any, rating: Rating, stage: str | None) -> bool:
    user_id = getattr(user, "pk", None)
    fillers = rating.fillers or {}
    return user_id is not None and any(user_id in fillers.get(s, []) for s in EARLIER_STAGES.get(stage, ()))


def can_fill(user: Any, rating: Rating) -> bool:
    """自荐: the community's own admin or liaison only (not the street above it, not the office:
    the self-assessment is the community's own word)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, unit=rating.unit, role__in=FILL).exists()


def can_review(user: Any, rating: Rating) -> bool:
    """乡镇审查: a unit admin of a unit *above* the community (its street or township), or the
    office; never someone who filled in the self-assessment."""
    if _filled_earlier(user, rating, Stage.TOWNSHIP):
        return False
    if has_any_role(user, (Role.OFFICE_ADMIN,)):
        return True
    if not has_any_role(user, REVIEW):
        return False
    scope = scope_for(user, REVIEW)
    return any(rating.unit.path.startswith(p) and p != rating.unit.path for p in scope.paths)


def can_accept(user: Any, rating: Rating) -> bool:
    """县验收 and recording the 表彰: the county/district campaign office, never someone who filled
    in or reviewed this rating at an earlier stage."""
    return has_any_role(user, ACCEPT) and not _filled_earlier(user, rating, Stage.COUNTY)


def may_act(user: Any, rating: Rating) -> bool:
    stage = rating.stage
    return bool(
        (stage == Stage.SELF and can_fill(user, rating))
        or (stage == Stage.TOWNSHIP and can_review(user, rating))
        or (stage in (Stage.COUNTY, Stage.COMMENDATION) and can_accept(user, rating))
    )


def _note_filler(row: Rating, stage: str, actor: Any) -> None:
    user_id = getattr(_user(actor), "pk", None)
    if user_id is None:
        return
    fillers = dict(row.fillers or {})
    if user_id not in fillers.get(stage, []):
        fillers[stage] = [*fillers.get(stage, []), user_id]
    row.fillers = fillers


# --- the rating -----------------------------------------------------------------------------


def _sync_scores(rating: Rating) -> None:
    """Give a draft a score row for every active aspect (the office may have added one)."""
    have = set(rating.scores.values_list("aspect_id", flat=True))
    missing = Aspect.objects.filter(campaign=rating.campaign, is_active=True).exclude(pk__in=have)
    AspectScore.objects.bulk_create(
        [AspectScore(rating=rating, aspect=a) for a in missing], ignore_conflicts=True
    )


def open_rating(
    campaign: Campaign, unit: Unit, year: int, actor: Any, request: HttpRequest | None = None
) -> Rating:
    """The community's rating of the year, created on first use (one per community and year)."""
    if unit.kind not in COMMUNITY_KINDS:
        raise DomainError(
            _("Star ratings are for communities and villages; %(unit)s is not one.") % {"unit": unit}
        )
    if not unit.path.startswith(campaign.root_unit.path):
        raise DomainError(_("%(unit)s is not inside the campaign's territory.") % {"unit": unit})
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("Give a year such as %(year)d.") % {"year": timezone.localdate().year})
    setup_for(campaign)
    existing = Rating.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            rating = Rating.objects.create(campaign=campaign, unit=unit, year=year, created_by=_user(actor))
            _sync_scores(rating)
            log_action(actor, "stars.rating.open", rating, {"unit": unit.name, "year": year}, request=request)
    except IntegrityError:  # a concurrent request opened it first: theirs is the one
        return Rating.objects.get(unit=unit, year=year)
    return rating


def _locked(rating: Rating) -> Rating:
    return Rating.objects.select_for_update().select_related("unit", "campaign").get(pk=rating.pk)


def _check_version(row: Rating, version: int | None) -> None:
    """Checked after the permission: who may not act learns nothing from a version."""
    if version is not None and row.version != int(version):
        raise ConflictError(_("Somebody else changed this rating meanwhile; reload it and try again."))


def _refresh_totals(row: Rating, confer: bool = False) -> None:
    """Stars counted so far on the scores as entered (never rounded); the title only when the
    county's acceptance confers it (`confer`), and none before."""
    scheme, _aspects = setup_for(row.campaign)
    scores = [s.score for s in row.scores.filter(aspect__is_active=True) if s.score is not None]
    row.total = sum(scores, Decimal("0"))
    row.stars = sum(1 for s in scores if s >= scheme.star_threshold)
    if confer:
        row.title = scheme.title_for(row.stars)
    elif row.status not in (RatingStatus.ACCEPTED, RatingStatus.COMMENDED):
        row.title = ""


def _score(value: Any, aspect: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(aspect)s: the score is not a number.") % {"aspect": aspect}) from None
    if not number.is_finite() or not Decimal("0") <= number <= MAX_SCORE:
        raise DomainError(_("%(aspect)s: a score is from 0 to 10.") % {"aspect": aspect})
    if number != number.quantize(SCORE_STEP):
        raise DomainError(
            _("%(aspect)s: give the score with at most one decimal (such as 8.9 or 9.0); %(value)s has more.")
            % {"aspect": aspect, "value": str(value).strip()}
        )
    return number.quantize(SCORE_STEP)


@dataclass
class ScoreInput:
    aspect_id: int
    score: Any
    comment: str = ""


def save_scores(
    rating: Rating,
    entries: list[ScoreInput],
    actor: Any,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Rating:
    """The community's self-scores (自荐) or the township's adjusted scores (乡镇审查), with comments."""
    with transaction.atomic():
        row = _locked(rating)
        stage = row.stage
        if stage == Stage.SELF:
            allowed, score_field, comment_field = can_fill(actor, row), "self_score", "self_comment"
        elif stage == Stage.TOWNSHIP:
            allowed, score_field, comment_field = can_review(actor, row), "reviewed_score", "review_comment"
        else:
            raise DomainError(_("Scores can no longer be changed at this stage."))
        if not allowed:
            raise PermissionError(_("You may not score this rating at this stage."))
        _check_version(row, version)
        if stage == Stage.SELF:
            _sync_scores(row)
        _note_filler(row, stage, actor)
        scores = {s.aspect_id: s for s in row.scores.select_related("aspect")}
        changes: dict[str, Any] = {}
        cleaned = []
        for entry in entries:
            score = scores.get(int(entry.aspect_id))
            if score is None:
                raise DomainError(_("Aspect %(id)s is not part of this rating.") % {"id": entry.aspect_id})
            cleaned.append((score, _score(entry.score, score.aspect.name), (entry.comment or "").strip()))
        for score, value, comment in cleaned:
            old = (getattr(score, score_field), getattr(score, comment_field))
            if old != (value, comment):
                changes[score.aspect.name] = [
                    str(old[0]) if old[0] is not None else None,
                    str(value) if value is not None else None,
                ]
                setattr(score, score_field, value)
                setattr(score, comment_field, comment)
                score.save(update_fields=[score_field, comment_field])
        _refresh_totals(row)
        row.version += 1
        row.save(update_fields=["total", "stars", "title", "fillers", "version"])
        log_action(actor, f"stars.rating.score_{stage}", row, changes, request=request)
    return row


def add_evidence(
    rating: Rating,
    aspect_id: int,
    uploads: list[Any],
    actor: Any,
    request: HttpRequest | None = None,
    idempotency_key: str = "",
) -> list[Evidence]:
    """Photos and documents for one aspect, checked by content first (nothing kept if one fails).
    With `idempotency_key`, a retry of an upload already stored returns its evidence and stores
    nothing (a phone resending after a lost answer)."""
    if not (rating.stage == Stage.SELF and can_fill(actor, rating)):
        raise PermissionError(_("You may not add evidence to this rating."))
    if idempotency_key:
        earlier = list(
            Evidence.objects.filter(score__rating=rating, client_key=idempotency_key).order_by("pk")
        )
        if earlier:
            return earlier  # answered without decoding the files again
    if not uploads:
        raise DomainError(_("Choose at least one file."))
    checked = check_uploads(uploads)  # before the transaction: no lock held while decoding photos
    stored = StoredFiles("stars")
    try:
        stored.write_checked(checked)  # before the lock: a slow storage never holds the rating
        with transaction.atomic():
            row = _locked(rating)
            if idempotency_key:
                # Checked again under the lock: two retries racing store once.
                earlier = list(
                    Evidence.objects.filter(score__rating=row, client_key=idempotency_key).order_by("pk")
                )
                if earlier:
                    return earlier
            if row.stage != Stage.SELF:
                raise DomainError(_("Evidence is added during the self-assessment only."))
            if not can_fill(actor, row):
                raise PermissionError(_("You may not add evidence to this rating."))
            _sync_scores(row)
            score = row.scores.filter(aspect_id=aspect_id).select_related("aspect").first()
            if score is None:
                raise DomainError(_("Aspect %(id)s is not part of this rating.") % {"id": aspect_id})
            if score.evidence.count() + len(checked) > MAX_EVIDENCE:
                raise DomainError(_("At most %(n)d files per aspect.") % {"n": MAX_EVIDENCE})
            made = []
            for photo in checked.photos:
                ev = Evidence(
                    score=score,
                    kind=EvidenceKind.PHOTO,
                    name=photo.name,
                    size=photo.info.size,
                    content_type=photo.info.content_type,
                    sha256=photo.info.sha256,
                    uploaded_by=_user(actor),
                    client_key=idempotency_key,
                )
                ev.file.name, ev.display.name = stored.names_for(photo)
                ev.save()
                made.append(ev)
            for doc in checked.documents:
                ev = Evidence(
                    score=score,
                    kind=EvidenceKind.DOCUMENT,
                    name=doc.name,
                    size=len(doc.data),
                    content_type=doc.content_type,
                    sha256=doc.sha256,
                    uploaded_by=_user(actor),
                    client_key=idempotency_key,
                )
                (ev.file.name,) = stored.names_for(doc)
                ev.save()
                made.append(ev)
            _note_filler(row, Stage.SELF, actor)
            row.version += 1
            row.save(update_fields=["fillers", "version"])
            log_action(
                actor,
                "stars.rating.evidence",
                row,
                {"aspect": score.aspect.name, "files": [e.name for e in made]},
                request=request,
            )
    except BaseException:
        stored.discard()
        raise
    return made


# (stage, action) -> (next status, comment required)
TRANSITIONS = {
    (Stage.SELF, StepAction.SUBMIT): (RatingStatus.SUBMITTED, False),
    (Stage.TOWNSHIP, StepAction.APPROVE): (RatingStatus.REVIEWED, False),
    (Stage.TOWNSHIP, StepAction.RETURN): (RatingStatus.DRAFT, True),
    (Stage.COUNTY, StepAction.ACCEPT): (RatingStatus.ACCEPTED, False),
    # The county sends it back to the township, which may re-review or return it to the community.
    (Stage.COUNTY, StepAction.RETURN): (RatingStatus.SUBMITTED, True),
    # 表彰 follows acceptance as its own step, recorded with the body and its document number.
    (Stage.COMMENDATION, StepAction.COMMEND): (RatingStatus.COMMENDED, False),
}


def act(
    rating: Rating,
    action: str,
    actor: Any,
    comment: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
    body: str = "",
    document: str = "",
) -> Rating:
    """Move the rating one step: submit, approve, return, accept or commend (the commendation
    names the body and its document number), with the step's comment kept."""
    comment = (comment or "").strip()
    body, document = (body or "").strip()[:100], (document or "").strip()[:100]
    with transaction.atomic():
        row = _locked(rating)
        stage = row.stage
        if stage is None:
            raise DomainError(_("This rating has been accepted and is final."))
        key = (stage, action)
        if key not in TRANSITIONS:
            raise DomainError(_("This action is not possible at this stage."))
        if not may_act(actor, row):
            raise PermissionError(_("You may not act on this rating at this stage."))
        _check_version(row, version)
        target, needs_comment = TRANSITIONS[key]
        if needs_comment and not comment:
            raise DomainError(_("Say why it is returned, so it can be put right."))
        if action == StepAction.COMMEND and not (body and document):
            raise DomainError(
                _("Name the body that commends (such as 县委、县政府) and the number of its document.")
            )
        if stage == Stage.SELF:
            _sync_scores(row)
        missing = [
            s.aspect.name
            for s in row.scores.filter(aspect__is_active=True).select_related("aspect")
            if s.score is None
        ]
        if target != RatingStatus.DRAFT and missing:
            raise DomainError(_("Score every aspect first: %(list)s.") % {"list": "、".join(missing)})
        before = row.status
        row.status = target
        if stage in (Stage.SELF, Stage.TOWNSHIP, Stage.COUNTY):
            _note_filler(row, stage, actor)
        _refresh_totals(row, confer=target == RatingStatus.ACCEPTED)
        fields = ["status", "total", "stars", "title", "fillers", "version"]
        if target == RatingStatus.ACCEPTED:
            row.accepted_at = timezone.now()
            fields.append("accepted_at")
        if target == RatingStatus.COMMENDED:
            row.commended_at = timezone.now()
            row.commendation_body, row.commendation_document = body, document
            fields += ["commended_at", "commendation_body", "commendation_document"]
        row.version += 1
        row.save(update_fields=fields)
        RatingStep.objects.create(
            rating=row,
            stage=stage,
            action=action,
            from_status=before,
            to_status=target,
            comment=comment,
            actor=_user(actor),
        )
        log_action(
            actor,
            f"stars.rating.{action}",
            row,
            {
                "status": [before, target],
                "comment": comment,
                "stars": row.stars,
                "title": row.title,
                **({"body": body, "document": document} if action == StepAction.COMMEND else {}),
            },
            request=request,
        )
    return row
