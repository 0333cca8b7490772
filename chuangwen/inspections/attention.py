"""'Needs my attention' from inspections: points of open rounds my team still has to inspect."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.core.attention import Attention
from chuangwen.inspections.models import RoundStatus, TeamAssignment, VisitStatus
from chuangwen.inspections.permissions import INSPECT


def items(user: Any) -> list[Attention]:
    # Office admins see every round; "to do" is for the teams that inspect.
    if not has_any_role(user, INSPECT) or scope_for(user).everything:
        return []
    todo = (
        scoped(TeamAssignment.objects.filter(round__status=RoundStatus.OPEN), user)
        .exclude(status=VisitStatus.DONE)
        .count()
    )
    return [Attention(_("Points to inspect"), todo, reverse("inspections:rounds"), "warning")] if todo else []
