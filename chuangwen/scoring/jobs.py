"""Background jobs of scoring (huey): the debounced recompute and the nightly one."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=1, retry_delay=60)
def recompute_campaign(campaign_id: int) -> int | None:
    from chuangwen.campaigns.models import Campaign
    from chuangwen.scoring.models import ScoringState, Trigger
    from chuangwen.scoring.services import recompute

    # Cleared first: a change saved while this run reads its inputs queues the next run.
    ScoringState.objects.filter(campaign_id=campaign_id).update(dirty_since=None)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return None
    return recompute(campaign, trigger=Trigger.INPUT).pk


@db_periodic_task(crontab(hour="2", minute="30"))
def recompute_current_campaigns() -> list[int]:
    """Nightly: every current campaign, so time-driven inputs (periods falling due) count."""
    from chuangwen.campaigns.models import Campaign
    from chuangwen.scoring.models import Trigger
    from chuangwen.scoring.services import recompute

    return [recompute(c, trigger=Trigger.PERIODIC).pk for c in Campaign.objects.filter(is_current=True)]
