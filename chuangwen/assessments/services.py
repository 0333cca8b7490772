"""State changes of the monthly assessment: rules, computing and publishing a month, cards and
summons. Each one runs in a transaction, locks what a concurrent request could change, and
writes one audit entry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.assessments import compute
from chuangwen.assessments.models import (
    DEFAULT_POINTS,
    AssessmentConfig,
    AssessmentMonth,
    Card,
    CardColor,
    DeductionLine,
    DeductionRule,
    MonthStatus,
    RuleKind,
    Summons,
    UnitAssessment,
)
from chuangwen.audit.services import diff, log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.org.models import Unit, UnitKind
from chuangwen.problems.models import Problem, UnitCard

_MONTH = re.compile(r"^\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?\s*$")


def parse_month(value: Any) -> dt.date:
    """ "2026-11", "2026/11", "2026年11月" or a date -> the first day of that month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = _MONTH.match(str(value or ""))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise DomainError(_("Give the month as YYYY-MM, e.g. 2026-11."))
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _decimal(value: Any, what: str, allow_blank: bool = False) -> Decimal | None:
    if value in (None, "") and allow_blank:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(what)s is not a number.") % {"what": what}) from None
    if not number.is_finite() or number < 0 or number > 10000:
        raise DomainError(_("%(what)s must be between 0 and 10000.") % {"what": what})
    return number.quantize(Decimal("0.01"))


def settings_for(campaign: Campaign) -> tuple[AssessmentConfig, list[DeductionRule]]:
    """The campaign's base score and rules, the defaults written on first use."""
    config, _created = AssessmentConfig.objects.get_or_create(campaign=campaign)
    rules = {rule.kind: rule for rule in DeductionRule.objects.filter(campaign=campaign)}
    missing = [
        DeductionRule(campaign=campaign, kind=kind, points=DEFAULT_POINTS[RuleKind(kind)])
        for kind in RuleKind.values
        if kind not in rules
    ]
    if missing:
        DeductionRule.objects.bulk_create(missing, ignore_conflicts=True)
        rules = {rule.kind: rule for rule in DeductionRule.objects.filter(campaign=campaign)}
    return config, [rules[kind] for kind in RuleKind.values]


@dataclass
class RuleInput:
    kind: str
    points: Any
    cap: Any = None
    is_active: bool = True


def save_rules(
    campaign: Campaign,
    base_score: Any,
    rules: list[RuleInput],
    actor: Any,
    unit_kinds: list[str] | None = None,
    request: HttpRequest | None = None,
) -> tuple[AssessmentConfig, list[DeductionRule]]:
    """Change the base score, the kinds of unit assessed and the rules; all or nothing."""
    base = _decimal(base_score, _("The base score"))
    if unit_kinds is not None:
        bad = [kind for kind in unit_kinds if kind not in UnitKind.values]
        if bad:
            raise DomainError(_("Unknown kind of unit: %(kinds)s.") % {"kinds": ", ".join(bad)})
    cleaned = {}
    for item in rules:
        if item.kind not in RuleKind.values:
            raise DomainError(_("Unknown rule: %(kind)s.") % {"kind": item.kind})
        label = RuleKind(item.kind).label
        cleaned[item.kind] = (
            _decimal(item.points, label),
            _decimal(item.cap, _("The cap of %(rule)s") % {"rule": label}, allow_blank=True),
            bool(item.is_active),
        )
    with transaction.atomic():
        settings_for(campaign)
        config = AssessmentConfig.objects.select_for_update().get(campaign=campaign)
        changes: dict[str, Any] = {}
        before = {"base_score": str(config.base_score), "unit_kinds": list(config.unit_kinds)}
        config.base_score = base
        if unit_kinds is not None:
            config.unit_kinds = list(dict.fromkeys(unit_kinds))
        config.save(update_fields=["base_score", "unit_kinds", "updated_at"])
        changes.update(diff(before, {"base_score": str(base), "unit_kinds": list(config.unit_kinds)}))
        for rule in DeductionRule.objects.select_for_update().filter(campaign=campaign):
            if rule.kind not in cleaned:
                continue
            points, cap, active = cleaned[rule.kind]
            old = {
                "points": str(rule.points),
                "cap": str(rule.cap) if rule.cap is not None else None,
                "active": rule.is_active,
            }
            new = {"points": str(points), "cap": str(cap) if cap is not None else None, "active": active}
            for key, pair in diff(old, new).items():
                changes[f"{rule.kind}.{key}"] = pair
            rule.points, rule.cap, rule.is_active = points, cap, active
            rule.save(update_fields=["points", "cap", "is_active"])
        log_action(actor, "assessments.rules.update", config, changes, request=request)
    return settings_for(campaign)


def compute_month(
    campaign: Campaign, month: Any, actor: Any, request: HttpRequest | None = None
) -> AssessmentMonth:
    """Compute (or recompute) a draft month: its results and lines are replaced as a whole.

    A published month is frozen and refused; a month that has not begun yet is refused too.
    """
    first = parse_month(month)
    if first > timezone.localdate():
        raise DomainError(_("The month %(month)s has not begun yet.") % {"month": f"{first:%Y-%m}"})
    try:
        with transaction.atomic():
            row, _created = AssessmentMonth.objects.get_or_create(campaign=campaign, month=first)
    except IntegrityError:  # another request created it first: use theirs
        row = AssessmentMonth.objects.get(campaign=campaign, month=first)
    config, rules = settings_for(campaign)
    with transaction.atomic():
        row = AssessmentMonth.objects.select_for_update().select_related("campaign__root_unit").get(pk=row.pk)
        if row.is_published:
            raise DomainError(
                _("%(month)s is published and frozen; it cannot be recomputed.") % {"month": f"{first:%Y-%m}"}
            )
        rows = compute.results(row, config, rules)
        UnitAssessment.objects.filter(month=row).delete()
        made = UnitAssessment.objects.bulk_create(
            [
                UnitAssessment(
                    month=row,
                    unit_id=r.unit_id,
                    base_score=r.base_score,
                    deducted=r.deducted,
                    score=r.score,
                    rank=rank,
                )
                for rank, r in compute.ranked(rows)
            ]
        )
        by_unit = {ua.unit_id: ua for ua in made}
        DeductionLine.objects.bulk_create(
            [
                DeductionLine(
                    assessment=by_unit[r.unit_id],
                    kind=line.kind,
                    count=line.count,
                    points_each=line.points_each,
                    points=line.points,
                    capped=line.capped,
                    records=line.records,
                )
                for r in rows
                for line in r.lines
            ]
        )
        row.base_score = config.base_score
        row.rules_used = [
            {
                "kind": r.kind,
                "points": str(r.points),
                "cap": None if r.cap is None else str(r.cap),
                "active": r.is_active,
            }
            for r in rules
        ]
        row.computed_at = timezone.now()
        row.computed_by = user_or_none(actor)
        row.version += 1
        row.save(update_fields=["base_score", "rules_used", "computed_at", "computed_by", "version"])
        log_action(
            actor,
            "assessments.month.compute",
            row,
            {"units": len(made), "lines": sum(len(r.lines) for r in rows)},
            request=request,
        )
    return row


def publish_month(
    month: AssessmentMonth, actor: Any, version: int | None = None, request: HttpRequest | None = None
) -> AssessmentMonth:
    """Freeze a computed draft month and show it to the units."""
    with transaction.atomic():
        row = AssessmentMonth.objects.select_for_update().get(pk=month.pk)
        if version is not None and row.version != version:
            raise ConflictError(
                _("The month was recomputed meanwhile; check the new results and publish again.")
            )
        if row.is_published:
            raise DomainError(_("This month is already published."))
        if row.computed_at is None:
            raise DomainError(_("Compute the month before publishing it."))
        row.status = MonthStatus.PUBLISHED
        row.published_at = timezone.now()
        row.published_by = user_or_none(actor)
        row.version += 1
        row.save(update_fields=["status", "published_at", "published_by", "version"])
        log_action(
            actor, "assessments.month.publish", row, {"status": ["draft", "published"]}, request=request
        )
    return row


def _in_territory(campaign: Campaign, unit: Unit) -> None:
    if not unit.path.startswith(campaign.root_unit.path):
        raise DomainError(_("%(unit)s is not inside the campaign's territory.") % {"unit": unit})


def _published(campaign: Campaign, when: dt.datetime) -> bool:
    first = timezone.localtime(when).date().replace(day=1)
    return AssessmentMonth.objects.filter(
        campaign=campaign, month=first, status=MonthStatus.PUBLISHED
    ).exists()


def record_card(
    campaign: Campaign,
    unit: Unit,
    color: str,
    reason: str,
    actor: Any,
    problem: Problem | None = None,
    issued_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Card:
    """A card the office gives by hand; it counts in the month it is dated."""
    if color not in CardColor.values:
        raise DomainError(_("Choose a yellow or a red card."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the card is given."))
    _in_territory(campaign, unit)
    issued_at = issued_at or timezone.now()
    if issued_at > timezone.now():
        raise DomainError(_("A card cannot be dated in the future."))
    if problem is not None:
        if problem.unit_id != unit.pk:
            raise DomainError(
                _("Problem #%(id)d is not %(unit)s's problem.") % {"id": problem.pk, "unit": unit}
            )
        if UnitCard.objects.filter(problem=problem, color=color).exists():
            raise DomainError(
                _("Problem #%(id)d already has this card from the escalation job.") % {"id": problem.pk}
            )
    with transaction.atomic():
        if _published(campaign, issued_at):
            raise DomainError(_("That month's assessment is published; date the card in an open month."))
        card = Card.objects.create(
            campaign=campaign,
            unit=unit,
            color=color,
            reason=reason[:300],
            problem=problem,
            issued_at=issued_at,
            issued_by=user_or_none(actor),
        )
        log_action(
            actor,
            "assessments.card.create",
            card,
            {
                "unit": unit.name,
                "color": color,
                "reason": card.reason,
                "problem": problem.pk if problem else None,
            },
            request=request,
        )
    return card


SUMMONS_FIELDS = ("unit", "held_on", "summoned", "summoned_by", "reason", "outcome")


def _summons_state(s: Summons) -> dict[str, Any]:
    return {
        "unit": s.unit_id,
        "held_on": s.held_on.isoformat() if s.held_on else None,
        "summoned": s.summoned,
        "summoned_by": s.summoned_by,
        "reason": s.reason,
        "outcome": s.outcome,
        "problems": sorted(p.pk for p in s.problems.all()) if s.pk else [],
        "cards": sorted(c.pk for c in s.cards.all()) if s.pk else [],
        "unit_cards": sorted(c.pk for c in s.unit_cards.all()) if s.pk else [],
    }


def save_summons(
    campaign: Campaign,
    data: dict[str, Any],
    actor: Any,
    summons: Summons | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Summons:
    """Record a new 约谈 or change one; the linked problems and cards must be the unit's own."""
    unit: Unit = data["unit"]
    _in_territory(campaign, unit)
    for key in ("summoned", "summoned_by", "reason"):
        if not str(data.get(key) or "").strip():
            raise DomainError(_("Fill in who was summoned, by whom and why."))
    if not data.get("held_on"):
        raise DomainError(_("Give the date of the summons."))
    problems = list(data.get("problems") or [])
    cards = list(data.get("cards") or [])
    unit_cards = list(data.get("unit_cards") or [])
    foreign = [f"#{p.pk}" for p in problems if p.unit_id != unit.pk]
    foreign += [str(c) for c in cards if c.unit_id != unit.pk]
    foreign += [str(c) for c in unit_cards if c.unit_id != unit.pk]
    if foreign:
        raise DomainError(
            _("These records are not %(unit)s's: %(list)s.") % {"unit": unit, "list": ", ".join(foreign)}
        )
    with transaction.atomic():
        if summons is None:
            row = Summons(campaign=campaign, created_by=user_or_none(actor))
            before: dict[str, Any] = {}
            action = "assessments.summons.create"
        else:
            row = Summons.objects.select_for_update().get(pk=summons.pk)
            if version is not None and row.version != version:
                raise ConflictError(
                    _("Somebody else changed this summons meanwhile; reload it and try again.")
                )
            before = _summons_state(row)
            row.version += 1
            action = "assessments.summons.update"
        for key in SUMMONS_FIELDS:
            value = data.get(key)
            setattr(row, key, value.strip() if isinstance(value, str) else value)
        row.save()
        row.problems.set(problems)
        row.cards.set(cards)
        row.unit_cards.set(unit_cards)
        log_action(actor, action, row, diff(before, _summons_state(row)), request=request)
    return row
