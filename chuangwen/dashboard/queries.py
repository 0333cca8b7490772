"""Reading the snapshot for a user: the campaign, the slices in reach and the chosen one.

Everything goes through the scoping helper: the whole-campaign row has no unit, so only the
campaign-wide roles reach it; a street's row is reached through a role in that street.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from chuangwen.accounts.scope import scoped
from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.dashboard.models import Snapshot


def campaign_for(user: Any, campaign_id: int | str | None = None) -> Campaign | None:
    """The campaign asked for (404 outside the user's reach), else the current one."""
    return chosen_campaign(user, campaign_id)


def slices(user: Any, campaign: Campaign) -> QuerySet[Snapshot]:
    """The snapshot rows the user may read (without their figures): for the slice picker."""
    return (
        scoped(Snapshot.objects.filter(campaign=campaign), user)
        .select_related("unit")
        .defer("data")
        .order_by("unit__path")
    )


@dataclass
class Choice:
    snapshot: Snapshot | None
    available: list[Snapshot]


def choose(user: Any, campaign: Campaign, unit_id: int | str | None = None) -> Choice:
    """The slice to show: the one asked for (404 if out of reach or not computed), else the
    whole campaign when the user may read it, else the user's first street."""
    available = list(slices(user, campaign))
    if unit_id not in (None, ""):
        try:
            pk = int(unit_id)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        wanted = next((s for s in available if s.unit_id == pk), None)
        if wanted is None:
            raise Http404
    else:
        wanted = next((s for s in available if s.unit_id is None), None) or (
            available[0] if available else None
        )
    if wanted is None:
        return Choice(None, available)
    return Choice(Snapshot.objects.get(pk=wanted.pk), available)
