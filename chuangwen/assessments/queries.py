"""Reads shared by the pages and the API: which campaign, which months and results a user may see.

Drafts are the office's working copy: leaders see them too (they sit in the meetings), but a
unit sees a month only once it is published, and then only its own rows (scoping helper).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scoped
from chuangwen.assessments.models import AssessmentMonth, Card, MonthStatus, Summons, UnitAssessment
from chuangwen.assessments.permissions import READ_RANKING
from chuangwen.campaigns.choice import required_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import Unit
from chuangwen.problems.models import UnitCard


def campaign_for(user: Any, campaign_id: Any = None) -> Campaign:
    """The campaign asked for (if the user may see it), else the current one; 404 if none."""
    return required_campaign(user, campaign_id)


def sees_drafts(user: Any) -> bool:
    return has_any_role(user, READ_RANKING)


def months_for(user: Any, campaign: Campaign) -> QuerySet[AssessmentMonth]:
    months = scoped(AssessmentMonth.objects.filter(campaign=campaign), user)
    return months if sees_drafts(user) else months.filter(status=MonthStatus.PUBLISHED)


def month_for(user: Any, pk: int) -> AssessmentMonth:
    months = scoped(AssessmentMonth.objects.select_related("campaign__root_unit"), user)
    if not sees_drafts(user):
        months = months.filter(status=MonthStatus.PUBLISHED)
    try:
        return months.get(pk=pk)
    except AssessmentMonth.DoesNotExist:
        raise Http404 from None


def results_for(user: Any, month: AssessmentMonth) -> QuerySet[UnitAssessment]:
    """The month's rows the user may see, best first, with their lines in one more query."""
    return (
        scoped(UnitAssessment.objects.filter(month=month), user)
        .select_related("unit")
        .prefetch_related("lines")
        .order_by("rank", "unit__path")
    )


def result_for(user: Any, pk: int) -> UnitAssessment:
    rows = scoped(UnitAssessment.objects.select_related("unit", "month__campaign"), user)
    if not sees_drafts(user):
        rows = rows.filter(month__status=MonthStatus.PUBLISHED)
    try:
        return rows.prefetch_related("lines").get(pk=pk)
    except UnitAssessment.DoesNotExist:
        raise Http404 from None


def history(user: Any, unit: Unit, campaign: Campaign) -> dict[str, Any]:
    """A unit's accountability record: monthly results, manual and automatic cards, summons."""
    results = (
        scoped(
            UnitAssessment.objects.filter(unit=unit, month__campaign=campaign).select_related(
                "month", "unit"
            ),
            user,
        )
        .prefetch_related("lines")
        .order_by("-month__month")
    )
    if not sees_drafts(user):
        results = results.filter(month__status=MonthStatus.PUBLISHED)
    return {
        "results": list(results[:36]),
        "cards": list(scoped(Card.objects.filter(unit=unit, campaign=campaign), user)[:200]),
        "unit_cards": list(scoped(UnitCard.objects.filter(unit=unit, campaign=campaign), user)[:200]),
        "summonses": list(scoped(Summons.objects.filter(unit=unit, campaign=campaign), user)[:200]),
    }
