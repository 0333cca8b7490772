"""`chuangwen bench dashboard`: the leadership dashboard over a city's data.

Data (times --scale): 20 streets × 10 communities, 5,000 points, 1,000,000 problems over two
years in every status (raw executemany in chunks, then the closed-problem tally rebuilt), and
300,000 survey responses of the standard questionnaire (3.3 million answer rows). Then:

- refresh: `dashboard.services.refresh` (every slice from the big tables), timed twice;
- reads: the dashboard page and its JSON (`GET /api/dashboard/snapshot`) as a leader (whole
  campaign) and as a street's liaison (its slice), through the whole middleware stack, beside
  the raw-SQL read of the same snapshot row (SELECT + json.loads) in the same run.
  Target: p95 < 300 ms for the page and the JSON.

`--scale 0.001` runs the same code on tiny data (the smoke test does, without timing asserts).
"""

# Fake data from a seeded generator and hand-written SQL are what a benchmark is made of.
# ruff: noqa: S311, S608

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from contextlib import nullcontext
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone

from chuangwen.bench import sample, scratch_database, verdict

SIZES = {"points": 5_000, "problems": 1_000_000, "responses": 300_000, "streets": 20, "communities": 10}
TARGETS = {"page_p95_ms": 300.0, "json_p95_ms": 300.0}


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    repeat = int(options.get("repeat") or 30)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale, repeat)


def _build(scale: float) -> dict[str, Any]:
    from chuangwen.accounts.models import Membership, Role, User
    from chuangwen.bench import points as points_bench
    from chuangwen.bench import problems as problems_bench
    from chuangwen.bench import surveys as surveys_bench
    from chuangwen.campaigns.models import Campaign
    from chuangwen.org.models import UnitKind
    from chuangwen.problems.models import ProblemCategory
    from chuangwen.problems.seed import load_categories
    from chuangwen.surveys import services as survey_services
    from chuangwen.surveys.models import QuestionnaireStatus, Round, RoundStatus
    from chuangwen.surveys.standard import citizen_questionnaire

    sizes = {
        "points": max(20, round(SIZES["points"] * scale)),
        "problems": max(200, round(SIZES["problems"] * scale)),
        "responses": max(50, round(SIZES["responses"] * scale)),
        "streets": SIZES["streets"],
        "communities": SIZES["communities"],
    }
    rng = random.Random(2026)
    if not ProblemCategory.objects.exists():
        load_categories(ProblemCategory)
    tree = problems_bench._build_tree(sizes)
    users = problems_bench._build_users(tree)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="基准年度",
        year=today.year,
        root_unit=tree["district"],
        office_unit=tree["office"],
        inspection_start=today + dt.timedelta(days=60),
        is_current=True,
    )
    communities = [c for street in tree["streets"] for c in tree["communities"][street.pk]]
    timings: dict[str, float] = {}

    start = time.perf_counter()
    points_bench._build_points(communities, sizes["points"], rng)
    timings["points_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    categories = list(ProblemCategory.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    problems_bench._generate(sizes["problems"], categories, tree, users, rng)
    timings["problems_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    office = users["office"]
    enumerator = User.objects.create_user("bench-enumerator", password="x")  # noqa: S106 - throw-away
    Membership.objects.create(user=enumerator, unit=tree["district"], role=Role.ENUMERATOR)
    questionnaire = survey_services.create_questionnaire(
        office, campaign, "基准问卷", "citizen", design=citizen_questionnaire()
    )
    survey_services.set_questionnaire_status(questionnaire, QuestionnaireStatus.OPEN, office)
    questionnaire.refresh_from_db()
    round_ = Round.objects.create(questionnaire=questionnaire, name="基准轮", status=RoundStatus.OPEN)
    survey_services.create_area_quotas(round_, tree["district"], UnitKind.COMMUNITY, 20, office)
    world = {
        "questionnaire": questionnaire,
        "round": round_,
        "communities": communities,
        "enumerator": enumerator,
    }
    surveys_bench._fill(world, sizes["responses"])
    timings["surveys_s"] = round(time.perf_counter() - start, 1)

    leader = User.objects.create_user("bench-leader", password="x")  # noqa: S106
    Membership.objects.create(user=leader, unit=tree["district"], role=Role.LEADER)
    liaison = User.objects.create_user("bench-liaison", password="x")  # noqa: S106
    Membership.objects.create(user=liaison, unit=tree["streets"][0], role=Role.LIAISON)
    return {
        "sizes": sizes,
        "timings": timings,
        "campaign": campaign,
        "leader": leader,
        "liaison": liaison,
        "street": tree["streets"][0],
    }


def _run(scale: float, repeat: int) -> dict[str, Any]:
    from django.urls import reverse

    from chuangwen.dashboard.models import Snapshot
    from chuangwen.dashboard.services import refresh
    from chuangwen.problems.models import Problem
    from chuangwen.surveys.models import Answer, Response

    built = _build(scale)
    campaign = built["campaign"]

    refreshes = []
    for _ in range(2):
        start = time.perf_counter()
        result = refresh(campaign)
        refreshes.append(round(time.perf_counter() - start, 2))
    counts = {
        "points": built["sizes"]["points"],
        "problems": Problem.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "slices": result.slices,
    }

    page_url = reverse("dashboard:index")
    json_url = reverse("api:dashboard_snapshot")
    leader, liaison = Client(), Client()
    leader.force_login(built["leader"])
    liaison.force_login(built["liaison"])

    def get(client: Client, url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")

    whole_id = Snapshot.objects.get(campaign=campaign, unit__isnull=True).pk
    street_id = Snapshot.objects.get(campaign=campaign, unit=built["street"]).pk
    table = Snapshot._meta.db_table

    def raw(pk: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT computed_at, data FROM {table} WHERE id = %s", [pk])
            _when, data = cursor.fetchone()
        json.loads(data) if isinstance(data, str) else data

    reads = {
        "leader_page": sample(lambda: get(leader, page_url), repeat),
        "leader_json": sample(lambda: get(leader, json_url), repeat),
        "liaison_page": sample(lambda: get(liaison, page_url), repeat),
        "liaison_json": sample(lambda: get(liaison, json_url), repeat),
        "raw_sql_whole": sample(lambda: raw(whole_id), repeat),
        "raw_sql_street": sample(lambda: raw(street_id), repeat),
    }
    size = len(json.dumps(Snapshot.objects.get(pk=whole_id).data, ensure_ascii=False).encode())
    checks = {
        "page_p95": verdict(
            max(reads["leader_page"]["p95_ms"], reads["liaison_page"]["p95_ms"]), TARGETS["page_p95_ms"]
        ),
        "json_p95": verdict(
            max(reads["leader_json"]["p95_ms"], reads["liaison_json"]["p95_ms"]), TARGETS["json_p95_ms"]
        ),
    }
    return {
        "area": "dashboard",
        "database": connection.vendor,
        "scale": scale,
        "sizes": counts,
        "build": built["timings"],
        "refresh_seconds": refreshes,
        "snapshot_bytes": size,
        "reads": reads,
        "checks": checks,
        "targets": TARGETS,
        "ok": all(c["ok"] for c in checks.values()),
        "machine": {"cpus": os.cpu_count(), "load_average": _load_average()},
    }


def _load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []
