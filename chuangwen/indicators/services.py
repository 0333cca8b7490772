"""Changes to evaluation systems, each in a transaction with an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.indicators.importing import ApplyResult, IndicatorTable, apply_indicator_table
from chuangwen.indicators.models import EvaluationSystem


def system_for_import(
    system: EvaluationSystem | None,
    name: str = "",
    edition: str = "",
    level: str = "",
    campaign: Campaign | None = None,
) -> EvaluationSystem:
    """The system to import into: the chosen one, or an unsaved new one (saved on commit)."""
    if system is not None:
        return system
    new = EvaluationSystem(name=name, edition=edition, campaign=campaign)
    if level:
        new.level = level
    return new


@transaction.atomic
def import_indicators(
    table: IndicatorTable, system: EvaluationSystem, actor: Any, request: Any = None
) -> ApplyResult:
    """Write a checked table (see importing.read_indicator_table) in one transaction."""
    created = system.pk is None
    if created:
        system.save()
        log_action(
            actor,
            "indicators.system.create",
            system,
            {"name": system.name, "edition": system.edition, "level": system.level},
            request=request,
        )
    else:
        system = EvaluationSystem.objects.select_for_update().get(pk=system.pk)
    return apply_indicator_table(table, system, actor, request=request)
