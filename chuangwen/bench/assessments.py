"""`chuangwen bench assessments`: computing a month of the unit assessment over a district's
records, and reading its ranking, each beside a raw-SQL equivalent.

Data: 20 streets × 15 communities and 40 departments (360 units assessed), 200,000 problems
with deadlines spread over three months (a third of them late), 20,000 failed verifications
and 2,000 cards, written straight into the tables. Then:

- compute: `assessments.services.compute_month` (the four reads over the territory, the rows
  and lines written in one transaction), beside the bare GROUP BY counts in raw SQL. Target < 5 s.
- ranking: the ranking page as the office sees it (100 rows with their lines), beside a raw
  SELECT of the same rows. Target p95 < 300 ms.

`--scale 0.01` runs the same code on tiny data (the smoke test does, without timing asserts).
"""

# The raw-SQL side builds an IN (%s, …) list of placeholders only; the values are parameters.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import nullcontext
from typing import Any

from chuangwen.bench import percentiles, sample, scratch_database, verdict

PROBLEMS = 200_000
REWORKS = 20_000
CARDS = 2_000
STREETS = 20
COMMUNITIES = 15
DEPARTMENTS = 40
BATCH = 5_000


def _world(rng: random.Random, scale: float) -> dict[str, Any]:
    from django.utils import timezone

    from chuangwen.accounts.models import Membership, Role, User
    from chuangwen.campaigns.models import Campaign
    from chuangwen.org.models import Unit, UnitKind
    from chuangwen.problems.models import EventKind, Problem, ProblemCategory, ProblemEvent, Status, UnitCard
    from chuangwen.problems.seed import load_categories

    city = Unit.objects.create(name="基准区", code="AB", kind=UnitKind.DISTRICT)
    units = []
    for s in range(STREETS):
        street = Unit.objects.create(name=f"第{s + 1}街道", code=f"AB-{s}", kind=UnitKind.STREET, parent=city)
        units.append(street)
        for c in range(COMMUNITIES):
            units.append(
                Unit.objects.create(
                    name=f"第{s + 1}街道{c + 1}社区",
                    code=f"AB-{s}-{c}",
                    kind=UnitKind.COMMUNITY,
                    parent=street,
                )
            )
    for d in range(DEPARTMENTS):
        units.append(
            Unit.objects.create(name=f"第{d + 1}局", code=f"AB-D{d}", kind=UnitKind.DEPARTMENT, parent=city)
        )
    campaign = Campaign.objects.create(name="基准年度", year=2026, root_unit=city, is_current=True)
    office = User.objects.create_user("bench_office", password="x")  # noqa: S106 - a throw-away database
    Membership.objects.create(user=office, unit=city, role=Role.OFFICE_ADMIN)
    if not ProblemCategory.objects.exists():
        load_categories(ProblemCategory)
    category = ProblemCategory.objects.exclude(parent=None).first()

    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    span_start = timezone.make_aware(dt.datetime.combine(month - dt.timedelta(days=31), dt.time(9)))
    unit_ids = [u.pk for u in units]
    n_problems = max(200, round(PROBLEMS * scale))
    rows = []
    for i in range(n_problems):
        deadline = span_start + dt.timedelta(minutes=rng.randrange(0, 90 * 24 * 60))
        late = rng.random() < 0.33
        rows.append(
            Problem(
                source="inspection",
                category=category,
                description="基准问题",
                unit_id=rng.choice(unit_ids),
                status=Status.DISPATCHED if late else Status.CLOSED,
                deadline=deadline,
                on_time=None if late else True,
                submitted_at=None if late else deadline - dt.timedelta(hours=2),
                reported_at=deadline - dt.timedelta(days=3),
            )
        )
        if len(rows) >= BATCH or i == n_problems - 1:
            Problem.objects.bulk_create(rows)
            rows = []
    problem_ids = list(Problem.objects.values_list("pk", flat=True))
    events = [
        ProblemEvent(
            problem_id=rng.choice(problem_ids),
            kind=EventKind.REJECTED,
            at=span_start + dt.timedelta(minutes=rng.randrange(0, 90 * 24 * 60)),
        )
        for _ in range(max(20, round(REWORKS * scale)))
    ]
    ProblemEvent.objects.bulk_create(events, batch_size=BATCH)
    cards = [
        UnitCard(
            unit_id=rng.choice(unit_ids),
            campaign=campaign,
            color=rng.choice(["yellow", "red"]),
            reason="overdue",
            issued_at=span_start + dt.timedelta(minutes=rng.randrange(0, 90 * 24 * 60)),
        )
        for _ in range(max(5, round(CARDS * scale)))
    ]
    UnitCard.objects.bulk_create(cards, batch_size=BATCH)
    return {"campaign": campaign, "office": office, "month": month, "problems": n_problems, "root": city}


def _raw_counts(root_path: str, start: dt.datetime, end: dt.datetime, campaign_id: int) -> int:
    """The same counts as compute._counted, as three GROUP BYs in raw SQL (no rows written)."""
    from django.db import connection

    from chuangwen.problems.models import RUNNING_STATUSES

    running = ", ".join(["%s"] * len(RUNNING_STATUSES))
    queries = [
        (
            "SELECT p.unit_id, COUNT(*) FROM problems_problem p JOIN org_unit u ON u.id = p.unit_id "
            "WHERE u.path LIKE %s AND p.deadline >= %s AND p.deadline < %s "
            "AND p.status NOT IN ('duplicate', 'not_applicable') "
            f"AND (p.status IN ({running}) OR p.submitted_at > p.deadline OR p.on_time = %s) "
            "GROUP BY p.unit_id",
            [root_path + "%", start, end, *RUNNING_STATUSES, False],
        ),
        (
            "SELECT p.unit_id, COUNT(*) FROM problems_problemevent e JOIN problems_problem p ON p.id = e.problem_id "
            "JOIN org_unit u ON u.id = p.unit_id WHERE e.kind = 'rejected' AND e.at >= %s AND e.at < %s "
            "AND u.path LIKE %s GROUP BY p.unit_id",
            [start, end, root_path + "%"],
        ),
        (
            "SELECT c.unit_id, c.color, COUNT(*) FROM problems_unitcard c JOIN org_unit u ON u.id = c.unit_id "
            "WHERE u.path LIKE %s AND c.campaign_id = %s AND c.issued_at >= %s AND c.issued_at < %s "
            "GROUP BY c.unit_id, c.color",
            [root_path + "%", campaign_id, start, end],
        ),
    ]
    total = 0
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            total += len(cursor.fetchall())
    return total


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    repeat = int(options.get("repeat") or 20)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale, repeat)


def _run(scale: float, repeat: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from chuangwen.assessments import services
    from chuangwen.assessments.models import AssessmentMonth, DeductionLine, UnitAssessment

    rng = random.Random(2026)  # noqa: S311 - reproducible test data, not secrets
    start = time.perf_counter()
    world = _world(rng, scale)
    build_seconds = round(time.perf_counter() - start, 1)

    compute_times = []
    for _ in range(3):
        began = time.perf_counter()
        month = services.compute_month(world["campaign"], world["month"], world["office"])
        compute_times.append((time.perf_counter() - began) * 1000)
    start_dt, end_dt = month.bounds()
    raw_times = []
    for _ in range(3):
        began = time.perf_counter()
        _raw_counts(world["root"].path, start_dt, end_dt, world["campaign"].pk)
        raw_times.append((time.perf_counter() - began) * 1000)

    client = Client()
    client.force_login(world["office"])
    url = reverse("assessments:month", args=[month.pk])

    def ranking_page() -> None:
        assert client.get(url).status_code == 200

    def raw_ranking() -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rank, u.name, r.score, l.kind, l.count, l.points FROM assessments_unitassessment r "
                "JOIN org_unit u ON u.id = r.unit_id LEFT JOIN assessments_deductionline l ON l.assessment_id = r.id "
                "WHERE r.month_id = %s ORDER BY r.rank, u.path LIMIT 500",
                [month.pk],
            )
            cursor.fetchall()

    page = sample(ranking_page, repeat=repeat)
    raw_page = sample(raw_ranking, repeat=repeat)
    compute = percentiles(compute_times)
    return {
        "area": "assessments",
        "data": {
            "problems": world["problems"],
            "units_assessed": UnitAssessment.objects.filter(month=month).count(),
            "lines": DeductionLine.objects.filter(assessment__month=month).count(),
            "months": AssessmentMonth.objects.count(),
            "build_seconds": build_seconds,
        },
        "compute_month": {**compute, "verdict": verdict(compute["p95_ms"], 5000)},
        "compute_raw_sql_counts": percentiles(raw_times),
        "ranking_page": {**page, "verdict": verdict(page["p95_ms"], 300)},
        "ranking_raw_sql": raw_page,
        "ok": compute["p95_ms"] <= 5000 and page["p95_ms"] <= 300,
    }
