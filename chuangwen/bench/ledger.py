"""`chuangwen bench ledger`: the year-end account of every unit of a city, and a meeting's
brief over the same data, each beside a raw-SQL equivalent in the same run.

Data (full scale): 3,000 units (100 streets × 24 communities, 400 departments), 1,000,000
problems over the year (a fifth rectified late or still overdue), 20,000 cards, 5,000 supervision
notices, 2,000 summons, 50 meetings with 40 units invited each (a tenth absent) and 5 decisions
each, and a score run with 15,000 lost-point rows; written straight into the tables. Then:

- year_end: `ledger.compute.accounts` (one GROUP BY per kind over the campaign and year, every
  unit weighed and ranked), beside the same GROUP BYs as raw SQL. Target < 30 s.
- brief: `meetings.brief.gather` (previous decisions, overdue tasks, worst units, problem ages,
  score change), beside its problem aggregates as raw SQL. Target < 20 s (the issue's target for
  a daily report over the same city).

`--scale 0.001` runs the same code on tiny data (the smoke test does, without timing asserts).
"""

# The raw-SQL side builds an IN (%s, …) list of placeholders only; the values are parameters.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import nullcontext
from typing import Any

from chuangwen.bench import percentiles, scratch_database, verdict

STREETS = 100
COMMUNITIES = 24
DEPARTMENTS = 400
PROBLEMS = 1_000_000
CARDS = 20_000
NOTICES = 5_000
SUMMONS = 2_000
MEETINGS = 50
INVITED = 40
BATCH = 5_000


def _world(rng: random.Random, scale: float) -> dict[str, Any]:
    from django.utils import timezone

    from chuangwen.accounts.models import Membership, Role, User
    from chuangwen.assessments.models import Summons
    from chuangwen.campaigns.models import Campaign
    from chuangwen.meetings.models import Attendance, Decision, Meeting
    from chuangwen.org.models import Unit, UnitKind
    from chuangwen.problems.models import Problem, ProblemCategory, Status, SupervisionNotice, UnitCard
    from chuangwen.problems.seed import load_categories
    from chuangwen.scoring.models import LostPoint, ScoreRun, ScoringConfig

    city = Unit.objects.create(name="基准市", code="LB", kind=UnitKind.CITY)
    streets = max(2, round(STREETS * min(1.0, scale * 10)))
    units: list[Unit] = []
    for s in range(streets):
        street = Unit.objects.create(name=f"第{s + 1}街道", code=f"LB-{s}", kind=UnitKind.STREET, parent=city)
        units.append(street)
        units += Unit.objects.bulk_create(
            [
                Unit(
                    name=f"第{s + 1}街道{c + 1}社区",
                    code=f"LB-{s}-{c}",
                    kind=UnitKind.COMMUNITY,
                    parent=street,
                    path=f"{street.path}",  # completed below (bulk_create skips save())
                    depth=street.depth + 1,
                )
                for c in range(COMMUNITIES)
            ]
        )
    for d in range(max(2, round(DEPARTMENTS * min(1.0, scale * 10)))):
        units.append(
            Unit.objects.create(name=f"第{d + 1}局", code=f"LB-D{d}", kind=UnitKind.DEPARTMENT, parent=city)
        )
    # bulk_create does not run save(), which writes the materialised path: finish it here.
    fix = [u for u in units if u.path and not u.path.endswith(f"/{u.pk}/")]
    for u in fix:
        u.path = f"{u.path}{u.pk}/"
    Unit.objects.bulk_update(fix, ["path"], batch_size=BATCH)
    campaign = Campaign.objects.create(
        name="基准年度", year=timezone.localdate().year, root_unit=city, is_current=True
    )
    office = User.objects.create_user("bench_office", password="x")  # noqa: S106 - a throw-away database
    Membership.objects.create(user=office, unit=city, role=Role.OFFICE_ADMIN)
    if not ProblemCategory.objects.exists():
        load_categories(ProblemCategory)
    category = ProblemCategory.objects.exclude(parent=None).first()

    now = timezone.now()
    year_start = timezone.make_aware(dt.datetime(now.year, 1, 1, 9))
    span = max(1, int((now - year_start).total_seconds() // 60))
    unit_ids = [u.pk for u in units]

    def moment() -> dt.datetime:
        return year_start + dt.timedelta(minutes=rng.randrange(0, span))

    n_problems = max(200, round(PROBLEMS * scale))
    rows = []
    for i in range(n_problems):
        reported = moment()
        deadline = reported + dt.timedelta(days=3)
        roll = rng.random()
        if roll < 0.1:  # still open past its deadline (or not yet due)
            status, on_time = Status.DISPATCHED, None
        elif roll < 0.2:  # closed late
            status, on_time = Status.CLOSED, False
        else:
            status, on_time = Status.CLOSED, True
        rows.append(
            Problem(
                source="inspection",
                category=category,
                description="基准问题",
                unit_id=rng.choice(unit_ids),
                status=status,
                deadline=deadline,
                on_time=on_time,
                reported_at=reported,
                closed_at=None if status != Status.CLOSED else deadline - dt.timedelta(hours=1),
            )
        )
        if len(rows) >= BATCH or i == n_problems - 1:
            Problem.objects.bulk_create(rows)
            rows = []
    some = list(Problem.objects.values_list("pk", "unit_id")[: max(10, round(NOTICES * scale))])
    SupervisionNotice.objects.bulk_create(
        [SupervisionNotice(problem_id=p, unit_id=u, number=f"DB-{p}", issued_at=moment()) for p, u in some],
        batch_size=BATCH,
    )
    UnitCard.objects.bulk_create(
        [
            UnitCard(
                unit_id=rng.choice(unit_ids),
                campaign=campaign,
                color=rng.choice(["yellow", "red"]),
                reason="overdue",
                issued_at=moment(),
            )
            for _ in range(max(5, round(CARDS * scale)))
        ],
        batch_size=BATCH,
    )
    Summons.objects.bulk_create(
        [
            Summons(
                campaign=campaign,
                unit_id=rng.choice(unit_ids),
                held_on=moment().date(),
                summoned="主任",
                summoned_by="创建办",
                reason="整改不力",
            )
            for _ in range(max(2, round(SUMMONS * scale)))
        ],
        batch_size=BATCH,
    )
    meetings = []
    for m in range(max(2, round(MEETINGS * min(1.0, scale * 10)))):
        held_on = (year_start + dt.timedelta(days=7 * m)).date()
        if held_on > now.date():
            held_on = now.date()
        meetings.append(
            Meeting.objects.create(
                campaign=campaign,
                kind="dispatch",
                title=f"第{m + 1}次调度会",
                held_on=held_on,
                chair="指挥长",
            )
        )
    for m in meetings:
        invited = rng.sample(unit_ids, min(INVITED, len(unit_ids)))
        Attendance.objects.bulk_create(
            [Attendance(meeting=m, unit_id=u, attended=rng.random() > 0.1) for u in invited]
        )
        Decision.objects.bulk_create(
            [
                Decision(
                    meeting=m,
                    number=n + 1,
                    text="落实整改",
                    unit_id=rng.choice(invited),
                    deadline=m.held_on + dt.timedelta(days=7),
                    kind="action",
                )
                for n in range(5)
            ]
        )
    config = ScoringConfig.objects.create(campaign=campaign, version=1)
    run = ScoreRun.objects.create(
        campaign=campaign, config=config, computed_at=now, total=850, max_total=1000
    )
    LostPoint.objects.bulk_create(
        [
            LostPoint(run=run, unit_id=rng.choice(unit_ids), method="field", role="point", lost=rng.random())
            for _ in range(max(10, round(15_000 * scale)))
        ],
        batch_size=BATCH,
    )
    return {
        "campaign": campaign,
        "office": office,
        "root": city,
        "units": len(units) + 1,
        "problems": n_problems,
        "latest_meeting": meetings[-1],
        "year": campaign.year,
    }


def _raw_year_end(root_path: str, campaign_id: int, year: int, start: dt.datetime, end: dt.datetime) -> int:
    """The ledger's figures as bare GROUP BYs in raw SQL (no weighing, no ranking)."""
    from django.db import connection

    from chuangwen.problems.models import RUNNING_STATUSES

    running = ", ".join(["%s"] * len(RUNNING_STATUSES))
    like = root_path + "%"
    ys, ye = dt.date(year, 1, 1), dt.date(year, 12, 31)
    statements = [
        (
            "SELECT p.unit_id, COUNT(*) FROM problems_problem p JOIN org_unit u ON u.id = p.unit_id "
            "WHERE u.path LIKE %s AND p.reported_at >= %s AND p.reported_at < %s AND "
            f"((p.status IN ({running}) AND p.deadline < %s) OR (p.status = 'closed' AND p.on_time = %s)) "
            "GROUP BY p.unit_id",
            [like, start, end, *RUNNING_STATUSES, min(end, dt.datetime.now(tz=start.tzinfo)), False],
        ),
        (
            "SELECT unit_id, color, COUNT(*) FROM problems_unitcard WHERE campaign_id = %s AND issued_at >= %s "
            "AND issued_at < %s GROUP BY unit_id, color",
            [campaign_id, start, end],
        ),
        (
            "SELECT n.unit_id, COUNT(*) FROM problems_supervisionnotice n JOIN org_unit u ON u.id = n.unit_id "
            "WHERE u.path LIKE %s AND n.issued_at >= %s AND n.issued_at < %s GROUP BY n.unit_id",
            [like, start, end],
        ),
        (
            "SELECT unit_id, COUNT(*) FROM assessments_summons WHERE campaign_id = %s AND held_on BETWEEN %s AND %s "
            "GROUP BY unit_id",
            [campaign_id, ys, ye],
        ),
        (
            "SELECT a.unit_id, COUNT(*) FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id "
            "WHERE m.campaign_id = %s AND m.held_on BETWEEN %s AND %s AND a.attended = %s GROUP BY a.unit_id",
            [campaign_id, ys, ye, False],
        ),
        (
            "SELECT l.unit_id, SUM(l.lost) FROM scoring_lostpoint l WHERE l.run_id = (SELECT id FROM scoring_scorerun "
            "WHERE campaign_id = %s ORDER BY computed_at DESC LIMIT 1) GROUP BY l.unit_id",
            [campaign_id],
        ),
    ]
    total = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            total += len(cursor.fetchall())
    return total


def _raw_brief(root_path: str, now: dt.datetime) -> int:
    from django.db import connection

    from chuangwen.problems.models import OPEN_STATUSES

    placeholders = ", ".join(["%s"] * len(OPEN_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.unit_id, COUNT(*), SUM(CASE WHEN p.status = 'closed' THEN 1 ELSE 0 END) "
            "FROM problems_problem p JOIN org_unit u ON u.id = p.unit_id WHERE u.path LIKE %s "
            "AND p.status NOT IN ('duplicate', 'not_applicable') GROUP BY p.unit_id",
            [root_path + "%"],
        )
        n = len(cursor.fetchall())
        cursor.execute(
            "SELECT COUNT(*) FROM problems_problem p JOIN org_unit u ON u.id = p.unit_id WHERE u.path LIKE %s "
            f"AND p.status IN ({placeholders}) AND p.reported_at <= %s",
            [root_path + "%", *OPEN_STATUSES, now],
        )
        cursor.fetchall()
    return n


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale)


def _timed(fn: Any, repeat: int) -> tuple[dict[str, float], Any]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    return percentiles(times), result


def _run(scale: float) -> dict[str, Any]:
    from django.utils import timezone

    from chuangwen.ledger.compute import accounts, window
    from chuangwen.meetings.brief import gather

    rng = random.Random(2026)  # noqa: S311 - reproducible test data, not secrets
    start = time.perf_counter()
    world = _world(rng, scale)
    build_seconds = round(time.perf_counter() - start, 1)
    campaign, year, root = world["campaign"], world["year"], world["root"]
    ys, ye = window(year)

    year_end, rows = _timed(lambda: accounts(campaign, year), 3)
    raw_year_end, _n = _timed(lambda: _raw_year_end(root.path, campaign.pk, year, ys, ye), 3)
    brief, _data = _timed(lambda: gather(world["latest_meeting"]), 3)
    raw_brief, _m = _timed(lambda: _raw_brief(root.path, timezone.now()), 3)
    year_end_s = round(year_end["p95_ms"] / 1000, 2)
    brief_s = round(brief["p95_ms"] / 1000, 2)
    verdicts = {"year_end_seconds": verdict(year_end_s, 30), "brief_seconds": verdict(brief_s, 20)}
    return {
        "area": "ledger",
        "data": {
            "units": world["units"],
            "problems": world["problems"],
            "accounts": len(rows),
            "build_seconds": build_seconds,
        },
        "year_end": year_end,
        "year_end_raw_sql": raw_year_end,
        "brief": brief,
        "brief_raw_sql": raw_brief,
        "verdicts": verdicts,
        "ok": all(v["ok"] for v in verdicts.values()),
    }
