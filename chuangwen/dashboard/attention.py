"""The home page's pointer to the dashboard: overdue problems in the reader's slice, read from
the snapshot (one small row), so leaders land on the dashboard from the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import has_any_role
from chuangwen.core.attention import Attention
from chuangwen.dashboard import queries
from chuangwen.dashboard.permissions import VIEW_DASHBOARD


def items(user: Any) -> list[Attention]:
    if not has_any_role(user, VIEW_DASHBOARD):
        return []
    campaign = queries.campaign_for(user)
    if campaign is None:
        return []
    choice = queries.choose(user, campaign)
    if choice.snapshot is None:
        return []
    overdue = (choice.snapshot.data.get("problems") or {}).get("overdue") or 0
    url = reverse("dashboard:index")
    if choice.snapshot.unit_id:
        url += f"?unit={choice.snapshot.unit_id}"
    level = "danger" if overdue else "success"
    return [Attention(_("Leadership dashboard: overdue problems"), overdue, url, level)]
