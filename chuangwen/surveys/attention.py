"""“Needs my attention” on the home page: interviews an enumerator still owes, areas below the
threshold in the latest round for those who read the rates."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import READ_SURVEY_RESULTS, has_any_role
from chuangwen.accounts.scope import scoped
from chuangwen.core.attention import Attention
from chuangwen.surveys.analysis import Analysis
from chuangwen.surveys.models import Answer, Measure, Quota, Round, RoundMode, RoundStatus
from chuangwen.surveys.sampling import collecting_scope, quota_progress


def _remaining(user: Any) -> int:
    rounds = scoped(Round.objects.filter(status=RoundStatus.OPEN, mode=RoundMode.ENUMERATOR), user)
    remaining = 0
    for round_ in rounds:
        reach = collecting_scope(round_, user)
        quotas = [
            q for q in Quota.objects.filter(round=round_).select_related("unit") if reach.covers(q.unit)
        ]
        remaining += sum(p.remaining for p in quota_progress(round_, quotas))
    return remaining


def items(user: Any) -> list[Attention]:
    found: list[Attention] = []
    if has_any_role(user, (Role.ENUMERATOR,)):
        remaining = _remaining(user)
        if remaining:
            found.append(
                Attention(_("Interviews still to collect"), remaining, reverse("surveys:mine"), "warning")
            )
    if has_any_role(user, READ_SURVEY_RESULTS):
        rounds = scoped(
            Round.objects.exclude(status=RoundStatus.PLANNED).select_related("questionnaire"), user
        )
        latest = rounds.filter(pk__in=Answer.objects.values("round_id")).order_by("-id").first()
        if latest is not None:
            # Satisfaction only (“below 80 is a fail”): the home page should not pay for every
            # measure of a large round; the rates page shows them all.
            flagged = {
                rate.key
                for rate in Analysis(latest.questionnaire, [latest], user, [Measure.SATISFACTION]).by_area()
                if rate.below
            }
            if flagged:
                found.append(
                    Attention(
                        _("Survey areas below the satisfaction threshold in %(round)s")
                        % {"round": latest.name},
                        len(flagged),
                        reverse("surveys:rates", args=[latest.pk]),
                        "danger",
                    )
                )
    return found
