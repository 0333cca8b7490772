"""The first score run and dashboard snapshot, so a leader signing in sees figures at once.

Only when the campaign has none yet: loading again writes nothing, and later changes reach
the scores through the scoring app's own debounced recompute (run by the worker).
"""

from __future__ import annotations

from chuangwen.dashboard.models import Snapshot
from chuangwen.dashboard.services import refresh
from chuangwen.demo.base import DemoContext
from chuangwen.scoring.models import ScoreRun
from chuangwen.scoring.services import recompute


def load(ctx: DemoContext) -> None:
    campaign = ctx.campaign
    if campaign is None:
        return
    if not ScoreRun.objects.filter(campaign=campaign).exists():
        recompute(campaign)
        ctx.created[ScoreRun._meta.label] += 1
    if not Snapshot.objects.filter(campaign=campaign).exists():
        refresh(campaign)
        ctx.created[Snapshot._meta.label] += 1
