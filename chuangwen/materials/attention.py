"""Home-page items: materials due soon, sent back to me, waiting in my review queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scope_for
from chuangwen.core.attention import Attention
from chuangwen.materials.coverage import CURRENT, MISSING, OVERDUE, buckets, due_items
from chuangwen.materials.models import MaterialRequirement, Submission, SubmissionStatus
from chuangwen.materials.permissions import REVIEWER_ROLES, SUBMIT_MATERIALS
from chuangwen.materials.review import queue

DUE_SOON_DAYS = 7


def items(user: Any) -> list[Attention]:
    if not getattr(user, "is_authenticated", False):
        return []
    found: list[Attention] = []
    if has_any_role(user, SUBMIT_MATERIALS):
        sent_back = Submission.objects.filter(
            is_current=True, status=SubmissionStatus.SENT_BACK, submitted_by=user
        ).count()
        if sent_back:
            found.append(
                Attention(_("Materials sent back to you"), sent_back, reverse("materials:due"), "warning")
            )
        scope = scope_for(user, SUBMIT_MATERIALS)
        if not scope.everything:
            today = timezone.localdate()
            requirements = list(
                MaterialRequirement.objects.visible_to(user)
                .filter(is_active=True)
                .select_related("task__campaign")
            )
            # This period's filings not yet made, and the last period's still missing (逾期).
            by_bucket = buckets(due_items(requirements, list(scope.units()), today), today)
            overdue = [i for i in by_bucket[OVERDUE] if i.state == MISSING]
            current = [i for i in by_bucket[CURRENT] if i.state == MISSING]
            if overdue:
                found.append(
                    Attention(_("Materials overdue (缺报)"), len(overdue), reverse("materials:due"), "danger")
                )
            if current:
                soon = any(i.period.end <= today + dt.timedelta(days=DUE_SOON_DAYS) for i in current)
                found.append(
                    Attention(
                        _("Materials to file this period"),
                        len(current),
                        reverse("materials:due"),
                        "warning" if soon else "info",
                    )
                )
    if has_any_role(user, REVIEWER_ROLES):
        waiting = queue(user).count()
        if waiting:
            found.append(
                Attention(_("Materials waiting for your review"), waiting, reverse("materials:queue"), "info")
            )
    return found
