"""Demo data for the daily and weekly reports: yesterday's 督查日报 and the week's 周调度,
generated from the demo's own figures (issue 16)."""

from __future__ import annotations

import datetime as dt

from chuangwen.briefings import services
from chuangwen.briefings.models import Briefing, BriefingKind
from chuangwen.demo.base import DemoContext


def load(ctx: DemoContext) -> None:
    campaign = ctx.campaign
    if campaign is None or Briefing.objects.filter(campaign=campaign).exists():
        return
    yesterday = ctx.today - dt.timedelta(days=1)
    made = 0
    for day in (yesterday - dt.timedelta(days=1), yesterday):
        made += services.generate(campaign, BriefingKind.DAILY, day)[1]
    made += services.generate(campaign, BriefingKind.WEEKLY, yesterday)[1]
    ctx.created[Briefing._meta.label] += made
