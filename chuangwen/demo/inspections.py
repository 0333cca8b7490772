"""A demo inspection round (督查) under way: the supervision team's points, checklists recorded
on most of them with some failed items, and the failed items filed as problems through the
inspections→problems link (the same code the background job runs)."""

from __future__ import annotations

import datetime as dt
import random

from chuangwen.demo.base import DemoContext, login, valid
from chuangwen.demo.org import INSPECTION_TEAM, OFFICE
from chuangwen.demo.photos import jpeg
from chuangwen.inspections.forms import RoundForm
from chuangwen.inspections.models import Observation, Round, RoundKind, RoundPoint
from chuangwen.inspections.problem_link import file_problems
from chuangwen.inspections.services import Entry, add_points, record, save_round, set_status
from chuangwen.points.models import ChecklistItem

ROUND_SEED = 7  # which items fail is drawn from this, so every load records the same results

# Points in the round, and how many of their items fail (None: not visited yet).
VISITS: tuple[tuple[str, int | None], ...] = (
    ("ML-P01", 1), ("ML-P02", 0), ("ML-P03", 0), ("ML-P07", 2), ("ML-P08", 1), ("ML-P11", 2),
    ("ML-P12", 1), ("ML-P14", 1), ("ML-P16", 0), ("ML-P19", 2), ("ML-P21", 1), ("ML-P25", 0),
    ("ML-P28", 0), ("ML-P29", 1), ("ML-P31", 1), ("ML-P05", None), ("ML-P18", None), ("ML-P24", None),
)  # fmt: skip

NOTES = ("现场发现，已拍照留存", "责任单位负责人在场，已告知", "与上周督查情况相比未见改善")


def round_name(today: dt.date) -> str:
    return f"{today.year}年第{today.isocalendar().week}周创建工作督查"


def load(ctx: DemoContext) -> None:
    """Create this week's round once (an existing demo round is left as it is)."""
    if Round.objects.filter(campaign=ctx.campaign, name__endswith="周创建工作督查").exists():
        return
    office, inspector = login("office"), login("inspector")
    today = ctx.today
    form = RoundForm(
        {
            "name": round_name(today),
            "kind": RoundKind.SUPERVISION,
            "start_date": today - dt.timedelta(days=2),
            "end_date": today + dt.timedelta(days=4),
            "organizer": ctx.unit(OFFICE).pk,
            "team": ctx.unit(INSPECTION_TEAM).pk,
            "pass_rate": 85,
            "note": "按点位测评标准逐项检查，发现问题当场拍照，系统自动交办责任单位。",
        },
        user=office,
    )
    round_ = save_round(valid(form), office)
    ctx.count(Round)
    ctx.count(RoundPoint, add_points(round_, [ctx.points[code] for code, _ in VISITS], office))
    set_status(round_, "open", office)
    rng = random.Random(ROUND_SEED)  # noqa: S311 - demo data
    failed_ids: list[int] = []
    for code, failures in VISITS:
        if failures is None:
            continue
        point = ctx.points[code]
        items = list(ChecklistItem.objects.filter(point_type_id=point.point_type_id, is_active=True))
        failing = {item.pk for item in rng.sample(items, min(failures, len(items)))}
        entries = [_entry(item, item.pk in failing, rng, ctx.today) for item in items]
        rp = RoundPoint.objects.get(round=round_, point=point)
        # Standing a few metres off the point, as an inspector's phone would report.
        record(
            rp,
            entries,
            inspector,
            lat=point.lat + 0.0003,
            lng=point.lng - 0.0002,
            key=f"demo-{round_.pk}-{code}",
        )
        failed_ids += list(
            Observation.objects.filter(round_point=rp, failed=True).values_list("pk", flat=True)
        )
    ctx.count(Observation, Observation.objects.filter(round_point__round=round_).count())
    # The job queued by record() files these after commit; filing now makes them part of the
    # demo at once (the job then finds each observation's problem and files nothing twice).
    file_problems(failed_ids, inspector)


def _entry(item: ChecklistItem, fails: bool, rng: random.Random, today: dt.date) -> Entry:
    if not fails:
        return Entry(item.pk, "pass")
    occurrences = rng.randint(1, 3) if item.counts_occurrences else None
    if "max_count" in (item.params or {}):  # e.g. "at most 3 loose cables": count more than that
        occurrences = int(item.params["max_count"]) + rng.randint(1, 3)
    photo = jpeg(9000 + item.pk, dt.datetime.combine(today, dt.time(9, rng.randint(0, 59))))
    return Entry(item.pk, "fail", occurrences=occurrences, note=rng.choice(NOTES), photos=[photo])
