"""Which campaign a user is looking at: the one helper every page and API route uses.

A page or route that works inside one campaign takes an optional `campaign` (a query
parameter or an API argument). The answer is the same everywhere:

- given and a campaign in the user's scope: that campaign;
- given but not a number, or a campaign the user may not see (or none): 404, never the
  current campaign instead (a bookmarked link to another campaign must not silently show
  this year's figures), and never 403 (a sibling must not learn that it exists);
- not given: the campaign marked current among those the user sees, else the latest one
  (`CampaignQuerySet.current()`);
- not given and the user sees no campaign: None, or `NoCampaign` (the 404 page that points
  the office to setup) for the callers that cannot work without one.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.models import Campaign
from chuangwen.core.errors import NoCampaign

BIGINT_MAX = 2**63 - 1


def chosen_campaign(user: Any, wanted: str | int | None = None) -> Campaign | None:
    """The campaign asked for (404 outside the user's reach), else the user's current one."""
    campaigns = Campaign.objects.select_related("root_unit")
    if wanted is not None and str(wanted).strip() != "":
        text = str(wanted).strip()
        if not text.isdigit() or int(text) > BIGINT_MAX:
            raise Http404
        return get_scoped_or_404(campaigns, user, pk=int(text))
    return scoped(campaigns, user).current()


def required_campaign(user: Any, wanted: str | int | None = None) -> Campaign:
    """As `chosen_campaign`, but a user who sees no campaign gets the NoCampaign page."""
    campaign = chosen_campaign(user, wanted)
    if campaign is None:
        raise NoCampaign
    return campaign
