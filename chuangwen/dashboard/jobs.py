"""Background jobs of the dashboard (huey): the periodic refresh, the refresh a user asked for,
and the watcher that refreshes as soon as a scoring run has finished."""

from __future__ import annotations

import logging

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from chuangwen.campaigns.models import Campaign

log = logging.getLogger(__name__)


def _migrated() -> bool:
    from chuangwen.dashboard.models import Snapshot

    if Snapshot._meta.db_table in connection.introspection.table_names():
        return True
    log.warning("dashboard tables are missing; run `chuangwen migrate` (job skipped)")
    return False


@db_task()
def refresh_campaign(campaign_id: int, actor_id: int | None = None) -> int:
    """Refresh one campaign's snapshot (queued by the refresh button and the API)."""
    from chuangwen.accounts.models import User
    from chuangwen.dashboard.services import refresh

    campaign = Campaign.objects.select_related("root_unit").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return refresh(campaign, actor=actor).slices


@db_periodic_task(crontab(minute="*/15"))
def refresh_current() -> int:
    """Every quarter of an hour: the current campaign's dashboard."""
    from chuangwen.dashboard.services import refresh

    if not _migrated():
        return 0
    campaign = Campaign.objects.select_related("root_unit").current()
    return refresh(campaign).slices if campaign else 0


@db_periodic_task(crontab(minute="*"))
def follow_scoring() -> int:
    """Every minute: refresh after a finished scoring run (see follow_scoring_runs)."""
    return follow_scoring_runs() if _migrated() else 0


def follow_scoring_runs() -> int:
    """Refresh each current campaign whose latest scoring run the snapshot does not include yet
    (the scoring app knows nothing of the dashboard; the dashboard watches its contract).
    Returns how many campaigns were refreshed."""
    from chuangwen.dashboard import scores
    from chuangwen.dashboard.models import Snapshot
    from chuangwen.dashboard.services import refresh

    refreshed = 0
    for campaign in Campaign.objects.select_related("root_unit").filter(is_current=True):
        latest = scores.computed_at(campaign)
        stored = (
            Snapshot.objects.filter(campaign=campaign, unit__isnull=True)
            .values_list("scoring_computed_at", flat=True)
            .first()
        )
        if latest and latest != stored:
            refresh(campaign)
            refreshed += 1
    return refreshed
