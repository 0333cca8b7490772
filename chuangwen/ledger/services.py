"""State changes of the ledger: the office sets the year-end rules and records credits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import DomainError
from chuangwen.ledger.models import CREDIT_KINDS, DEFAULT_RULES, Credit, YearEndRules
from chuangwen.org.models import Unit


@transaction.atomic
def set_rules(
    campaign: Campaign,
    actor: Any,
    base_score: Decimal,
    rules: dict[str, dict[str, float | None]],
    request: Any = None,
) -> YearEndRules:
    """Replace the campaign's year-end rules (every kind's weight and cap)."""
    if base_score < 0:
        raise DomainError(_("The base score cannot be negative."))
    clean: dict[str, dict[str, float | None]] = {}
    for kind, rule in rules.items():
        if kind not in DEFAULT_RULES:
            raise DomainError(_("Unknown kind of entry: %(kind)s") % {"kind": kind})
        weight, cap = rule.get("weight"), rule.get("cap")
        if weight is None or weight < 0 or (cap is not None and cap < 0):
            raise DomainError(_("Weights and caps cannot be negative."))
        clean[kind] = {"weight": float(weight), "cap": None if cap is None else float(cap)}
    row, _created = YearEndRules.objects.select_for_update().get_or_create(campaign=campaign)
    before = {"base_score": str(row.base_score), "rules": row.rules}
    row.base_score = base_score
    row.rules = clean
    row.save(update_fields=["base_score", "rules", "updated_at"])
    log_action(
        actor,
        "ledger.rules.update",
        row,
        {"before": before, "after": {"base_score": str(base_score), "rules": clean}},
        request=request,
    )
    return row


@transaction.atomic
def add_credit(
    campaign: Campaign,
    actor: Any,
    *,
    unit: Unit,
    kind: str,
    title: str,
    points: Decimal,
    awarded_on: dt.date,
    bonus: Any = None,
    request: Any = None,
) -> Credit:
    """Credit a unit: 特色加分 (for the bonus award it earned, if recorded) or a 通报表扬."""
    if kind not in CREDIT_KINDS:
        raise DomainError(_("Choose the kind of credit."))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Say what the credit is for."))
    if points <= 0:
        raise DomainError(_("A credit is worth more than zero points."))
    if not unit.path.startswith(campaign.root_unit.path):
        raise DomainError(_("%(unit)s is outside the campaign's territory.") % {"unit": unit})
    if bonus is not None and bonus.campaign_id != campaign.pk:
        raise DomainError(_("The bonus award belongs to another campaign."))
    credit = Credit.objects.create(
        campaign=campaign,
        unit=unit,
        kind=kind,
        title=title[:200],
        points=points,
        awarded_on=awarded_on,
        bonus=bonus,
        recorded_by=user_or_none(actor),
    )
    log_action(
        actor,
        "ledger.credit.create",
        credit,
        {"unit": unit.pk, "kind": kind, "points": str(points), "bonus": bonus.pk if bonus else None},
        request=request,
    )
    return credit


def name_responsibilities(
    problem: Any,
    actor: Any,
    entries: dict[str, tuple[Unit, Decimal]],
    request: Any = None,
) -> list[Any]:
    """Name the units carrying the four responsibilities for a problem (点位、监管、主管、牵头责任)
    with their shares (adding up to one), replacing any named before; every unit's people are
    told after commit."""
    from chuangwen.ledger.models import Responsibility, ResponsibilityRole

    if not entries:
        raise DomainError(_("Name at least one responsible unit."))
    for role, (_unit, share) in entries.items():
        if role not in ResponsibilityRole.values:
            raise DomainError(_("Unknown responsibility: %(role)s") % {"role": role})
        if share <= 0:
            raise DomainError(_("Each share is more than zero."))
    total = sum((share for _unit, share in entries.values()), Decimal("0"))
    if abs(total - Decimal("1")) > Decimal("0.001"):
        raise DomainError(_("The shares add up to %(total)s; they must add up to 1.") % {"total": total})
    with transaction.atomic():
        from chuangwen.problems.models import Problem

        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        before = {r.role: [r.unit_id, str(r.share)] for r in Responsibility.objects.filter(problem=problem)}
        Responsibility.objects.filter(problem=problem).delete()
        named = Responsibility.objects.bulk_create(
            [
                Responsibility(
                    problem=problem,
                    role=role,
                    unit=unit,
                    share=share,
                    named_by=user_or_none(actor),
                )
                for role, (unit, share) in entries.items()
            ]
        )
        log_action(
            actor,
            "ledger.responsibility.name",
            problem,
            {"before": before, "after": {r.role: [r.unit_id, str(r.share)] for r in named}},
            request=request,
        )
        unit_ids = [r.unit_id for r in named]
        transaction.on_commit(lambda: _notify_responsible(problem, unit_ids))
    return named


def _notify_responsible(problem: Any, unit_ids: list[int]) -> None:
    from django.urls import reverse

    from chuangwen.meetings.services import unit_people
    from chuangwen.notifications.services import notify

    notify(
        unit_people(unit_ids),
        _("Your unit carries a responsibility for problem %(n)s") % {"n": problem.pk},
        problem.description[:300],
        reverse("problems:detail", kwargs={"pk": problem.pk}),
        key=f"ledger-responsibility-{problem.pk}-{'-'.join(map(str, sorted(unit_ids)))}",
    )
