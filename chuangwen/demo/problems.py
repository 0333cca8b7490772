"""Demo problems in every state of the loop 发现 → 交办 → 整改 → 复核 → 销号, filed and moved on
through the problems services by the demo users (so the timeline, audit log, notifications and
closed-problem tallies are right), with one overdue problem escalated to a yellow card by the
escalation job's own step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chuangwen.core import worktime
from chuangwen.demo.base import DemoContext, login
from chuangwen.demo.geography import community_boxes, spot
from chuangwen.demo.photos import jpeg
from chuangwen.inspections.problem_link import point_ref
from chuangwen.problems import escalation, services
from chuangwen.problems.calendar import work_calendar
from chuangwen.problems.models import Channel, Problem, ProblemCategory, Source
from chuangwen.problems.photos import check

# (key, reporter login, source, category, description, where, stage).
# `where`: a point code, ("at", community code) for a position, or an address to route by road.
# `stage`: what happens after filing — see _advance.
PROBLEMS: tuple[tuple[str, str, str, str, str, Any, str], ...] = (
    ("P01", "public", Source.CITIZEN, "非法小广告", "星河社区公交站旁电线杆上贴满小广告，很影响市容。",
     ("at", "ML-S03-01"), "reported"),
    ("P02", "office", Source.HOTLINE_12345, "露天烧烤", "市民来电：天枢路夜市每晚露天烧烤，油烟扰民。",
     "天枢路夜市", "dispatched"),
    ("P03", "duty", Source.PATROL, "暴露垃圾", "湾畔社区3号楼东侧绿化带内有暴露垃圾约2平方米。",
     "ML-P14", "accepted"),
    ("P04", "inspector", Source.INSPECTION, "机动车乱停放", "湾畔街两侧机动车压盲道停放，约8辆。",
     "ML-P07", "rectifying"),
    ("P05", "inspector", Source.INSPECTION, "飞线充电或缆线乱拉", "湾畔花园5栋一楼窗口拉出电线给电动车充电。",
     "ML-P19", "submitted"),
    ("P06", "inspector", Source.INSPECTION, "店外经营", "渔港路水产店将货架摆到人行道上经营。",
     "ML-P02", "closed"),
    ("P07", "office", Source.HIGHER_SUPERVISION, "路面破损", "市督查组反馈：织锦巷中段路面坑洼，雨后积水。",
     "ML-P08", "closed_after_rework"),
    ("P08", "office", Source.MEDIA, "公益广告褪色破损", "本地媒体曝光：澜桥路沿线多块公益广告褪色、破损。",
     "ML-P04", "overdue_yellow"),
    ("P09", "inspector", Source.SECRET_VISIT, "垃圾箱破损或满溢", "暗访发现鹭湾农贸市场东门垃圾桶满溢、未加盖。",
     "ML-P11", "overdue"),
    ("P10", "inspector", Source.INSPECTION, "占道经营", "渔歌苑门口早餐摊占道经营，影响通行。",
     "ML-P20", "extension"),
    ("P11", "office", Source.HOTLINE_12345, "立行立改事项", "市民来电反映有人在河边钓鱼时乱扔垃圾，地点说不清。",
     "", "reported"),
    # Two more 12345 work orders, one closed and one overdue: the telephone check's 办结率.
    ("P12", "office", Source.HOTLINE_12345, "暴露垃圾", "市民来电：湾畔社区3号楼后垃圾清运不及时，已有异味。",
     "ML-P14", "closed"),
    ("P13", "office", Source.HOTLINE_12345, "店外经营", "市民来电：渔港路几家水产店把货架摆上人行道。",
     "ML-P02", "overdue"),
)  # fmt: skip

UNIT_USERS = {"ML-S01": "liaison", "ML-S01-01": "community", "ML-S02": "liaison_b"}


def _photo(seed: int) -> Any:
    return check(jpeg(seed, timezone.localtime().replace(tzinfo=None)), name=f"demo-{seed}.jpg")


def _overdue_deadline(now: dt.datetime, working_days: float) -> dt.datetime:
    """A deadline at least `working_days` working days before now (holidays counted)."""
    calendar, tz = work_calendar(fresh=True), timezone.get_current_timezone()
    deadline = now - dt.timedelta(days=1)
    while worktime.working_hours_between(deadline, now, calendar, tz) / calendar.hours_per_day < working_days:
        deadline -= dt.timedelta(days=1)
    return deadline


def _reported_at(now: dt.datetime, n: int, deadline: dt.datetime | None) -> dt.datetime:
    """Spread over the last days, and always before the problem's deadline (an overdue problem
    was reported before its deadline passed, or Open311 would show it expected before it came)."""
    reported = now - dt.timedelta(days=len(PROBLEMS) - n, hours=3)
    return min(reported, deadline - dt.timedelta(days=2)) if deadline else reported


def load(ctx: DemoContext) -> None:
    """File each demo problem once (keyed), and on filing move it to its demo stage."""
    now = timezone.now()
    categories = {c.name: c for c in ProblemCategory.objects.filter(parent__isnull=False)}
    boxes = community_boxes()
    for n, (key, reporter, source, category, text, where, stage) in enumerate(PROBLEMS, start=1):
        actor = reporter if reporter == "public" else login(reporter)
        position: dict[str, Any] = {}
        if isinstance(where, tuple):
            lat, lng = spot(boxes[where[1]], 0.35, 0.6)
            position = {"lat": lat, "lng": lng, "address": "星河社区公交站"}
        elif where in ctx.points:
            point = ctx.points[where]
            position = {
                "lat": point.lat,
                "lng": point.lng,
                "address": point.address,
                "point_ref": point_ref(point),
            }
        else:
            position = {"address": where}
        deadline = None
        if stage == "overdue_yellow":
            deadline = _overdue_deadline(now, 4)
        elif stage == "overdue":
            deadline = _overdue_deadline(now, 0.5)
        problem = services.report(
            actor,
            category=categories[category],
            description=text,
            source=source,
            channel=Channel.PUBLIC if reporter == "public" else Channel.STAFF,
            reporter_phone="13900001234" if reporter == "public" else "",
            external_ref=f"12345-{ctx.campaign.year}-D{n:03d}" if source == Source.HOTLINE_12345 else "",
            idempotency_key=f"demo-problem-{ctx.campaign.year}-{key}",
            photos=[_photo(500 + n)],
            deadline=deadline,
            reported_at=_reported_at(now, n, deadline),
            **position,
        )
        if problem.replayed:
            continue
        ctx.count(Problem)
        _advance(ctx, problem, stage, now, 600 + n)


def _unit_user(problem: Problem) -> Any:
    """The demo login that acts for the problem's unit: its own, else the nearest unit above's."""
    unit = problem.unit
    while unit is not None and unit.code not in UNIT_USERS:
        unit = unit.parent
    return login(UNIT_USERS[unit.code] if unit is not None else "office")


def _advance(ctx: DemoContext, problem: Problem, stage: str, now: dt.datetime, seed: int) -> None:
    if stage in ("reported", "dispatched"):
        return
    unit_user, inspector = _unit_user(problem), login("inspector")
    if stage != "overdue":  # the market company never even accepted its problem
        services.accept(problem, unit_user)
    if stage in ("overdue_yellow", "overdue"):
        # The escalation job's step for one problem: 督办通知书, then (4 days late) a yellow card.
        escalation.escalate(problem.pk, now, work_calendar(fresh=True))
        return
    if stage == "extension":
        services.request_extension(problem, unit_user, until=now + dt.timedelta(days=10),
                                   reason="早餐摊点需与市场监管部门联合规划临时疏导点，申请延期10天。")  # fmt: skip
        return
    if stage == "accepted":
        return
    services.start(problem, unit_user)
    if stage == "rectifying":
        return
    services.submit(
        problem, unit_user, measures="已约谈商户并现场清理，安排网格员每日巡查。", photos=[_photo(seed)]
    )
    if stage == "closed_after_rework":
        services.verify(problem, inspector, passed=False, note="复核发现仍有一处坑洼未修补，请继续整改。")
        services.submit(
            problem, unit_user, measures="剩余坑洼已用沥青修补，路面平整。", photos=[_photo(seed + 50)]
        )
    if stage in ("closed", "closed_after_rework"):
        services.verify(problem, inspector, passed=True, note="现场复核已整改到位，同意销号。")
