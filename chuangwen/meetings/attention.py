"""'Needs my attention': meeting decisions addressed to my units that are overdue or still open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.scope import scoped
from chuangwen.core.attention import Attention
from chuangwen.meetings.models import Decision


def items(user: Any, today: dt.date | None = None) -> list[Attention]:
    # The office and leaders follow decisions through the meetings; a unit's home page shows
    # what was decided for it.
    if getattr(user, "is_campaign_wide", False):
        return []
    today = today or timezone.localdate()
    open_ = scoped(Decision.objects.open(), user)
    overdue = open_.filter(deadline__lt=today).count()
    pending = open_.filter(deadline__gte=today).count()
    url = reverse("meetings:mine")
    found = []
    if overdue:
        found.append(Attention(_("Overdue meeting decisions"), overdue, url, "danger"))
    if pending:
        found.append(Attention(_("Meeting decisions for my units"), pending, url, "warning"))
    return found
