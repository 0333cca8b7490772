"""Demo meetings: last week's 调度会 (held, attendance, minutes, three decisions: a task, a
problem and an action item) and this week's, whose brief checks them; and a credit.

Only when the campaign has no meeting yet: loading again writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from chuangwen.accounts.models import Membership, Role
from chuangwen.demo.base import DemoContext
from chuangwen.ledger import services as ledger
from chuangwen.meetings import services
from chuangwen.meetings.models import Meeting
from chuangwen.problems.models import ProblemCategory


def load(ctx: DemoContext) -> None:
    campaign = ctx.campaign
    if campaign is None or Meeting.objects.filter(campaign=campaign).exists():
        return
    office = (
        Membership.objects.filter(role=Role.OFFICE_ADMIN, unit__path__startswith=campaign.root_unit.path)
        .select_related("user")
        .first()
    )
    streets = [u for code, u in sorted(ctx.units.items()) if code.startswith("ML-S") and len(code) == 6][:4]
    if office is None or len(streets) < 2 or not ctx.indicators:
        return
    actor = office.user
    last_week = ctx.today - dt.timedelta(days=7)
    first = services.convene(
        actor,
        campaign=campaign,
        kind="dispatch",
        title="创建工作第一次调度会",
        held_on=last_week,
        chair="常务副指挥长",
        place="区政府三楼会议室",
        units=streets,
    )
    services.record_attendance(first, {u.pk: "分管副主任" for u in streets[:-1]}, actor)
    services.record_minutes(
        first, "一、听取各街道创建工作进展汇报。\n二、部署农贸市场和背街小巷集中整治。", actor
    )
    indicator = next(iter(ctx.indicators.values()))
    services.add_decision(
        first,
        actor,
        text="完成主次干道公益广告补点，每200米不少于1处",
        unit=streets[0],
        deadline=ctx.today + dt.timedelta(days=10),
        kind="task",
        indicator=indicator,
        today=last_week,
    )
    category = ProblemCategory.objects.exclude(parent=None).order_by("id").first()
    if category is not None:
        services.add_decision(
            first,
            actor,
            text="农贸市场周边占道经营限期整改",
            unit=streets[1],
            deadline=ctx.today + dt.timedelta(days=3),
            kind="problem",
            category=category,
            today=last_week,
        )
    services.add_decision(
        first,
        actor,
        text="报送背街小巷整治台账",
        unit=streets[-1],
        deadline=ctx.today - dt.timedelta(days=1),
        kind="action",
        today=last_week,
    )
    services.mark_held(first, actor, today=last_week)
    services.convene(
        actor,
        campaign=campaign,
        kind="supervision",
        title="督查工作例会",
        held_on=ctx.today,
        chair="创建办主任",
        place="创建办会议室",
        units=streets,
    )
    ledger.add_credit(
        campaign,
        actor,
        unit=streets[0],
        kind="bonus",
        title="“门前三包”积分制特色做法",
        points=Decimal("1"),
        awarded_on=ctx.today,
    )
    ctx.created[Meeting._meta.label] += 2
