"""`chuangwen bench scoring`: a city's full score recomputation and a 10,000-draw projection.

Data (times --scale): 2,000 Ⅲ indicators (10 Ⅰ × 10 Ⅱ × 20 Ⅲ) with one or two methods each,
a task per indicator owned by a department and one to three streets, a material requirement
per materials item with its coverage cells; 5,000 points of 10 types with a 20-item checklist
linked to field items, one mock round observing every item at every point (100,000
observations, one in seven failed, each failure with a problem); 1,000,000 problems in all;
300,000 survey responses answering 5 of 40 questions linked to survey items.

Measured: `scoring.services.recompute` (gather with grouped queries, score, store indicator
rows, attribution and what-if) beside a raw-SQL GROUP BY of the same inputs; the projection
(`scoring.projection.project`, 10,000 draws) beside one numpy pass of the same draws.
"""

# Fake data from a seeded generator and hand-written SQL are what a benchmark is made of.
# ruff: noqa: S311, S608

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import nullcontext
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from chuangwen.bench import scratch_database, verdict
from chuangwen.campaigns.models import Campaign
from chuangwen.indicators.models import EvaluationSystem, Indicator
from chuangwen.inspections.models import Observation, Round, RoundPoint
from chuangwen.materials.models import CoverageCell, MaterialRequirement
from chuangwen.org.models import Unit, UnitKind
from chuangwen.points.models import ChecklistItem, Point, PointType
from chuangwen.problems.models import Problem, ProblemCategory, Status
from chuangwen.problems.seed import load_categories
from chuangwen.surveys.models import Answer, Question, Questionnaire, Response
from chuangwen.surveys.models import Round as SurveyRound
from chuangwen.tasks.models import Task, TaskAssignment

SIZES = {"indicators": 2000, "points": 5000, "problems": 1_000_000, "responses": 300_000}
TARGETS = {"recompute_s": 10.0, "projection_s": 5.0}
CHUNK = 20_000
METHOD_SETS = [
    ["materials"],
    ["field"],
    ["survey"],
    ["department"],
    ["materials", "field"],
    ["photos"],
    ["field", "survey"],
    ["materials", "department"],
]


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    draws = int(options.get("draws") or 10_000)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale, draws)


def _insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Plain INSERTs in chunks: every concrete column, defaults filled in, one executemany each."""
    fields = [f for f in model._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    defaults = {}
    for f in fields:
        default = f.get_default()
        defaults[f.column] = default
    adapt = connection.ops.adapt_datetimefield_value
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    for start in range(0, len(rows), CHUNK):
        batch = []
        for row in rows[start : start + CHUNK]:
            values = [row.get(c, defaults[c]) for c in columns]
            batch.append([adapt(v) if isinstance(v, dt.datetime) else v for v in values])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)


def _ids(model: type[Model], **filters: Any) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def _run(scale: float, draws: int) -> dict[str, Any]:
    sizes = {k: max(20, round(v * scale)) for k, v in SIZES.items()}
    rng = random.Random(2026)
    started = time.perf_counter()
    campaign, streets, communities, departments = _units()
    indicators = _indicators(campaign, sizes["indicators"], rng)
    _tasks_and_materials(campaign, indicators, streets, departments, rng)
    failed = _field(campaign, indicators, streets, sizes["points"], rng)
    problems = _problems(sizes["problems"], failed, streets, rng)
    answers = _survey(campaign, indicators, communities, sizes["responses"], rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generate_seconds = round(time.perf_counter() - started, 1)

    from chuangwen.scoring import inputs as gathering
    from chuangwen.scoring.engine import Scorer
    from chuangwen.scoring.projection import project
    from chuangwen.scoring.services import current_config, recompute

    recompute(campaign, draws=0)  # warm the caches once, as a running server has them
    t0 = time.perf_counter()
    run_row = recompute(campaign, draws=0)
    recompute_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    raw = _raw_aggregate(campaign.pk)
    raw_s = time.perf_counter() - t0

    data = gathering.gather(campaign)
    gathering.load_points(data)
    scorer = Scorer(data, current_config(campaign))
    result = scorer.run()
    t0 = time.perf_counter()
    projection = project(scorer, result, draws=draws)
    projection_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    _raw_draws(data, draws)
    raw_projection_s = time.perf_counter() - t0
    verdicts = {
        "recompute_s": verdict(round(recompute_s, 3), TARGETS["recompute_s"]),
        "projection_s": verdict(round(projection_s, 3), TARGETS["projection_s"]),
    }
    return {
        "area": "scoring",
        "scale": scale,
        "database": connection.vendor,
        "sizes": {
            **sizes,
            "indicators_stored": run_row.indicator_scores.count(),
            "observations": Observation.objects.count(),
            "failed_observations": len(failed),
            "problems_stored": problems,
            "answers": answers,
            "coverage_cells": CoverageCell.objects.count(),
        },
        "generate_seconds": generate_seconds,
        "recompute": {
            "seconds": round(recompute_s, 3),
            "total": run_row.total,
            "lost_point_rows": run_row.lost_points.count(),
            "what_ifs": run_row.what_ifs.count(),
            "raw_sql_same_inputs_seconds": round(raw_s, 3),
            "raw_sql_rows": raw,
        },
        "projection": {
            "seconds": round(projection_s, 3),
            "draws": draws,
            "mean": projection and projection["mean"],
            "interval": projection and [projection["low"], projection["high"]],
            "raw_numpy_same_draws_seconds": round(raw_projection_s, 3),
        },
        "targets": TARGETS,
        "verdicts": verdicts,
        "ok": all(v["ok"] for v in verdicts.values()),
    }


def _units() -> tuple[Campaign, list[Unit], list[Unit], list[Unit]]:
    district = Unit.objects.create(name="评分基准区", code="SB-D", kind=UnitKind.DISTRICT)
    office = Unit.objects.create(
        name="评分基准区创建办", code="SB-OFF", kind=UnitKind.DEPARTMENT, parent=district
    )
    streets, communities = [], []
    for s in range(20):
        street = Unit.objects.create(
            name=f"第{s + 1}街道", code=f"SB-S{s}", kind=UnitKind.STREET, parent=district
        )
        streets.append(street)
        for c in range(10):
            communities.append(
                Unit.objects.create(
                    name=f"第{s + 1}街道第{c + 1}社区",
                    code=f"SB-S{s}-{c}",
                    kind=UnitKind.COMMUNITY,
                    parent=street,
                )
            )
    departments = [
        Unit.objects.create(name=f"第{d + 1}局", code=f"SB-B{d}", kind=UnitKind.DEPARTMENT, parent=district)
        for d in range(40)
    ]
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="评分基准",
        year=today.year,
        root_unit=district,
        office_unit=office,
        is_current=True,
        inspection_start=today + dt.timedelta(days=60),
    )
    return campaign, streets, communities, departments


def _indicators(campaign: Campaign, count: int, rng: random.Random) -> list[tuple[int, list[str]]]:
    system = EvaluationSystem.objects.create(name="基准测评体系", campaign=campaign)
    per_two = max(1, count // 100)
    out = []
    position = 0
    for a in range(10):
        aspect = Indicator.objects.create(system=system, level=1, code=f"{a + 1}", name=f"测评项目{a + 1}")
        for b in range(10):
            content = Indicator.objects.create(
                system=system,
                parent=aspect,
                level=2,
                code=f"{a + 1}.{b + 1}",
                name=f"测评内容{a + 1}.{b + 1}",
            )
            rows = []
            for c in range(per_two):
                position += 1
                methods = rng.choice(METHOD_SETS)
                rows.append(
                    {
                        "system_id": system.pk,
                        "parent_id": content.pk,
                        "level": 3,
                        "code": f"{a + 1}.{b + 1}.{c + 1}",
                        "name": f"测评标准{position}",
                        "name_key": f"测评标准{position}",
                        "points": rng.choice((0.5, 1, 1.5, 2)),
                        "methods": methods,
                        "position": position,
                        "standard": "",
                    }
                )
            Indicator.objects.bulk_create(Indicator(**r) for r in rows)
    for pk, methods in Indicator.objects.filter(system=system, level=3).values_list("pk", "methods"):
        out.append((pk, methods))
    return out


def _tasks_and_materials(campaign, indicators, streets, departments, rng) -> None:
    Task.objects.bulk_create(
        Task(campaign=campaign, indicator_id=pk, title=f"任务{pk}", method=methods[0])
        for pk, methods in indicators
    )
    tasks = dict(Task.objects.filter(campaign=campaign).values_list("indicator_id", "pk"))
    assignments, requirements = [], []
    for pk, methods in indicators:
        task = tasks[pk]
        assignments.append(TaskAssignment(task_id=task, unit=rng.choice(departments), role="lead"))
        for street in rng.sample(streets, rng.randint(1, 3)):
            assignments.append(TaskAssignment(task_id=task, unit=street, role="responsible"))
        if "materials" in methods or "photos" in methods:
            kind = "photos" if "photos" in methods else "report"
            requirements.append(
                MaterialRequirement(task_id=task, title=f"材料{pk}", kind=kind, cadence="quarterly")
            )
    TaskAssignment.objects.bulk_create(assignments, batch_size=5000)
    MaterialRequirement.objects.bulk_create(requirements, batch_size=5000)
    units = {}
    for task_id, unit_id in TaskAssignment.objects.filter(task__campaign=campaign).values_list(
        "task_id", "unit_id"
    ):
        units.setdefault(task_id, []).append(unit_id)
    cells = [
        CoverageCell(
            requirement_id=r,
            unit_id=u,
            satisfied=rng.choice((0, 1, 2, 3, 4)),
            sent_back=rng.choice((0, 0, 1)),
        )
        for r, t in MaterialRequirement.objects.filter(task__campaign=campaign).values_list("pk", "task_id")
        for u in units.get(t, [])
    ]
    CoverageCell.objects.bulk_create(cells, batch_size=5000)


def _field(campaign, indicators, streets, n_points, rng) -> list[int]:
    """Points, a checklist per type linked to field items, one round observing everything;
    returns the failed observations' ids (each gets a problem)."""
    field_items = [pk for pk, methods in indicators if "field" in methods]
    types = [PointType.objects.create(code=f"SB{t}", name=f"基准类型{t}") for t in range(10)]
    checklist = {}
    for point_type in types:
        items = [
            ChecklistItem(
                point_type=point_type, number=n + 1, text=f"条目{n + 1}", indicator_id=rng.choice(field_items)
            )
            for n in range(20)
        ]
        ChecklistItem.objects.bulk_create(items)
        checklist[point_type.pk] = list(
            ChecklistItem.objects.filter(point_type=point_type).values_list("pk", flat=True)
        )
    now = timezone.now()
    _insert(
        Point,
        [
            {
                "name": f"点位{i}",
                "code": f"SB-P{i}",
                "point_type_id": types[i % 10].pk,
                "unit_id": rng.choice(streets).pk,
                "created_at": now,
                "updated_at": now,
                "is_active": True,
            }
            for i in range(n_points)
        ],
    )
    today = timezone.localdate()
    round_ = Round.objects.create(
        name="基准模拟测评",
        kind="mock_test",
        status="open",
        start_date=today,
        end_date=today,
        organizer=streets[0].parent,
        team=streets[0].parent,
        campaign=campaign,
    )
    points = list(Point.objects.filter(code__startswith="SB-P").values_list("pk", "point_type_id"))
    _insert(
        RoundPoint,
        [
            {"round_id": round_.pk, "point_id": pk, "team_id": streets[0].parent_id, "status": "done"}
            for pk, _t in points
        ],
    )
    rps = dict(RoundPoint.objects.filter(round=round_).values_list("point_id", "pk"))
    rows = []
    for point_id, type_id in points:
        for item_id in checklist[type_id]:
            failed = rng.random() < 1 / 7
            rows.append(
                {
                    "round_point_id": rps[point_id],
                    "item_id": item_id,
                    "result": "fail" if failed else "pass",
                    "grade": "C#" if failed else "A",
                    "score": 0 if failed else 1,
                    "max_score": 1,
                    "failed": failed,
                    "observed_at": now,
                    "updated_at": now,
                }
            )
    _insert(Observation, rows)
    return _ids(Observation, failed=True, round_point__round=round_)


def _problems(count: int, failed: list[int], streets: list[Unit], rng: random.Random) -> int:
    if not ProblemCategory.objects.exists():
        load_categories(ProblemCategory)
    category = ProblemCategory.objects.exclude(parent=None).values_list("pk", flat=True).first()
    now = timezone.now()
    statuses = [Status.CLOSED] * 7 + [Status.DISPATCHED, Status.RECTIFYING, Status.SUBMITTED]
    rows = [
        {
            "source": "inspection",
            "channel": "staff",
            "category_id": category,
            "description": "基准问题",
            "status": rng.choice(statuses),
            "unit_id": rng.choice(streets).pk,
            "routed_by": "point",
            "reported_at": now,
            "updated_at": now,
            "urgency": "normal",
        }
        for _ in range(count)
    ]
    _insert(Problem, rows)
    first = Problem.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    links = [(first + i, obs) for i, obs in enumerate(failed[:count])]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("UPDATE inspections_observation SET problem_id = %s WHERE id = %s", links)
    return Problem.objects.count()


def _survey(campaign, indicators, communities, n_responses, rng) -> int:
    survey_items = [pk for pk, methods in indicators if "survey" in methods]
    questionnaire = Questionnaire.objects.create(campaign=campaign, name="基准问卷", status="open")
    questions = [
        Question.objects.create(
            questionnaire=questionnaire,
            name=f"q{i}",
            label=f"问题{i}",
            kind="rating",
            measure="satisfaction",
            indicator_id=rng.choice(survey_items),
        )
        for i in range(40)
    ]
    round_ = SurveyRound.objects.create(questionnaire=questionnaire, name="基准轮次")
    now = timezone.now()
    area_of = [rng.choice(communities).pk for _ in range(n_responses)]
    _insert(
        Response,
        [
            {
                "round_id": round_.pk,
                "unit_id": area_of[i],
                "channel": "enumerator",
                "status": "complete",
                "idempotency_key": f"sb-{i}",
                "submitted_at": now,
            }
            for i in range(n_responses)
        ],
    )
    first = Response.objects.filter(round=round_).order_by("pk").values_list("pk", flat=True).first()
    rows = []
    for i in range(n_responses):
        for question in rng.sample(questions, 5):
            rows.append(
                {
                    "response_id": first + i,
                    "round_id": round_.pk,
                    "unit_id": area_of[i],
                    "question_id": question.pk,
                    "score": rng.choice((1.0, 1.0, 1.0, 0.8, 0.0)),
                    "text": "",
                }
            )
    _insert(Answer, rows)
    return len(rows)


def _raw_aggregate(campaign_id: int) -> dict[str, int]:
    """The same inputs as the engine reads, as plain GROUP BYs (no Python, no writes)."""
    queries = {
        "coverage": """SELECT t.indicator_id, SUM(c.satisfied), COUNT(*) FROM materials_coveragecell c
            JOIN materials_materialrequirement r ON r.id = c.requirement_id JOIN tasks_task t ON t.id = r.task_id
            WHERE t.campaign_id = %s GROUP BY t.indicator_id""",
        "field": """SELECT i.indicator_id, rp.point_id, SUM(o.score), SUM(o.max_score),
            SUM(CASE WHEN o.failed THEN 1 ELSE 0 END)
            FROM inspections_observation o JOIN inspections_roundpoint rp ON rp.id = o.round_point_id
            JOIN inspections_round r ON r.id = rp.round_id JOIN points_checklistitem i ON i.id = o.item_id
            WHERE r.campaign_id = %s GROUP BY i.indicator_id, rp.point_id""",
        "open_problems": """SELECT i.indicator_id, p.unit_id, COUNT(*) FROM inspections_observation o
            JOIN problems_problem p ON p.id = o.problem_id JOIN points_checklistitem i ON i.id = o.item_id
            JOIN inspections_roundpoint rp ON rp.id = o.round_point_id JOIN inspections_round r ON r.id = rp.round_id
            WHERE r.campaign_id = %s AND p.status NOT IN ('closed', 'duplicate', 'not_applicable')
            GROUP BY i.indicator_id, p.unit_id""",
        "survey": """SELECT a.question_id, a.unit_id, a.score, COUNT(*) FROM surveys_answer a
            JOIN surveys_round r ON r.id = a.round_id JOIN surveys_questionnaire q ON q.id = r.questionnaire_id
            WHERE q.campaign_id = %s AND a.score IS NOT NULL GROUP BY a.question_id, a.unit_id, a.score""",
    }
    rows = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, [campaign_id])
            rows[name] = len(cursor.fetchall())
    return rows


def _raw_draws(data: Any, draws: int) -> float:
    """The bare draw: per type, pick the quota of points and sum their scores (numpy only)."""
    import numpy as np

    rng = np.random.default_rng(1)
    by_type: dict[str, list[int]] = {}
    for point_id, (_n, _u, code) in data.points.items():
        by_type.setdefault(code, []).append(point_id)
    totals = np.zeros(draws)
    per_point = {}
    for per in data.field.values():
        for point_id, (s, m, _f) in per.items():
            cell = per_point.setdefault(point_id, [0.0, 0.0])
            cell[0] += s
            cell[1] += m
    for ids in by_type.values():
        s = np.array([per_point[p][0] for p in ids])
        q = max(1, len(ids) // 10)
        idx = np.argpartition(rng.random((draws, len(ids))), q - 1, axis=1)[:, :q]
        totals += s[idx].sum(axis=1)
    return float(totals.mean())
