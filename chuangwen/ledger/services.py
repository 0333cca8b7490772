"""State changes of the ledger: the office sets the year-end rules and records credits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
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
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        actor,
        "ledger.credit.create",
        credit,
        {"unit": unit.pk, "kind": kind, "points": str(points), "bonus": bonus.pk if bonus else None},
        request=request,
    )
    return credit
