"""`chuangwen bench surveys`: rates over 300,000 responses and the speed of collection, each
beside its raw equivalent.

Data: a city of 10 streets × 10 communities, the standard citizens' questionnaire (12
questions; 7 of them scored), and 300,000 responses written straight into the tables
(3.3 million answer rows). Then:

- rates: the product's Analysis (one GROUP BY per round, then every table: by question,
  indicator, area and unit subtree, and the flagged areas) for the office and for a street
  liaison (scoped), beside the bare GROUP BY in raw SQL. Target < 1 s.
- collection: interviews submitted through `submission.submit_response` and through the API
  (`POST /api/surveys/rounds/{id}/responses`, session-signed-in test client), each with its own
  idempotency key, beside a raw INSERT of the same rows. Target ≥ 200 submissions/s through
  the service and through the API (whole middleware stack; one client process, then one per
  core posting at once, as a server runs one worker process per core).

`--scale 0.01` runs the same code on tiny data (the smoke test does, without timing asserts).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from typing import Any

RESPONSES = 300_000
SUBMISSIONS = 2_000
STREETS = 10
COMMUNITIES = 10  # per street
BATCH = 20_000
WORKERS = 4


def _world() -> dict[str, Any]:
    from chuangwen.accounts.models import Membership, Role, User
    from chuangwen.campaigns.models import Campaign
    from chuangwen.org.models import Unit, UnitKind
    from chuangwen.surveys import services
    from chuangwen.surveys.models import QuestionnaireStatus, Round, RoundStatus
    from chuangwen.surveys.standard import citizen_questionnaire

    city = Unit.objects.create(name="基准市", code="SB", kind=UnitKind.CITY)
    streets, communities = [], []
    for s in range(STREETS):
        street = Unit.objects.create(name=f"第{s + 1}街道", code=f"SB-{s}", kind=UnitKind.STREET, parent=city)
        streets.append(street)
        for c in range(COMMUNITIES):
            communities.append(
                Unit.objects.create(
                    name=f"第{s + 1}街道{c + 1}社区",
                    code=f"SB-{s}-{c}",
                    kind=UnitKind.COMMUNITY,
                    parent=street,
                )
            )
    campaign = Campaign.objects.create(name="基准年度", year=2026, root_unit=city, is_current=True)
    office = User.objects.create_user("bench_office", password="x")  # noqa: S106 - a throw-away database
    Membership.objects.create(user=office, unit=city, role=Role.OFFICE_ADMIN)
    liaison = User.objects.create_user("bench_liaison", password="x")  # noqa: S106
    Membership.objects.create(user=liaison, unit=streets[0], role=Role.LIAISON)
    enumerator = User.objects.create_user("bench_enumerator", password="x")  # noqa: S106
    Membership.objects.create(user=enumerator, unit=city, role=Role.ENUMERATOR)
    questionnaire = services.create_questionnaire(
        office, campaign, "基准问卷", "citizen", design=citizen_questionnaire()
    )
    services.set_questionnaire_status(questionnaire, QuestionnaireStatus.OPEN, office)
    questionnaire.refresh_from_db()
    round_ = Round.objects.create(questionnaire=questionnaire, name="基准轮", status=RoundStatus.OPEN)
    services.create_area_quotas(round_, city, UnitKind.COMMUNITY, 20, office)
    return {
        "city": city,
        "communities": communities,
        "office": office,
        "liaison": liaison,
        "enumerator": enumerator,
        "questionnaire": questionnaire,
        "round": round_,
    }


def _interview(rng: random.Random) -> dict[str, Any]:
    """One random interview of the standard questionnaire, most respondents fairly satisfied."""

    def sat() -> str:
        return rng.choices(["satisfied", "fairly", "unsatisfied", "unsure"], [60, 25, 10, 5])[0]

    return {
        "age": rng.randint(18, 65),
        "residence": "yes",
        "sex": rng.choice(["male", "female"]),
        "q1": rng.choices(["yes", "no"], [9, 1])[0],
        "q2": rng.choices(["support", "oppose", "unsure"], [90, 3, 7])[0],
        "q3": sat(),
        "q4": sat(),
        "q5": sat(),
        "q6": rng.choice(["yes", "no"]),
        "q7": rng.randint(5, 10),
        "q8": [rng.choice(["tv", "press", "online", "board"])],
    }


def _fill(world: dict[str, Any], count: int) -> int:
    """Write `count` complete responses and their answers straight into the tables (the same rows
    the submission service writes, validated by the same compiled form). Returns answer rows."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from chuangwen.surveys.compiled import compile_questionnaire
    from chuangwen.surveys.models import Answer, Response

    rng = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    form = compile_questionnaire(world["questionnaire"])
    # Validating 300,000 random interviews one by one would time the data generator, not the
    # product: draw them from a pool of validated ones instead.
    pool = [form.validate(_interview(rng)) for _ in range(min(count, 5000))]
    round_id, now = world["round"].pk, timezone.now()
    unit_ids = [u.pk for u in world["communities"]]
    response_cols = (
        "id, round_id, unit_id, channel, status, idempotency_key, collected_by_id, sex, age, "
        "device_hash, phone_hash, external_ref, submitted_at, void_reason"
    )
    answer_cols = "response_id, round_id, unit_id, question_id, option_id, number, text, score"
    answers_written = 0
    loading = connection.vendor == "sqlite" and not connection.in_atomic_block  # the smoke test runs in one
    if loading:
        with connection.cursor() as cursor:
            # A throw-away database being loaded: no need to wait for the disk on each batch.
            cursor.execute("PRAGMA synchronous=OFF")
    for start in range(0, count, BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            responses, answers = [], []
            for pk in range(start + 1, min(start + BATCH, count) + 1):
                unit_id = unit_ids[pk % len(unit_ids)]
                outcome = rng.choice(pool)
                responses.append((pk, round_id, unit_id, "enumerator", "complete", f"bench-{pk}",
                                  world["enumerator"].pk, outcome.sex, outcome.age, "", "", "", now, ""))  # fmt: skip
                answers.extend(
                    (pk, round_id, unit_id, r.question_id, r.option_id, r.number, r.text, r.score)
                    for r in outcome.rows
                )
            _insert(cursor, "surveys_response", response_cols, responses)
            _insert(cursor, "surveys_answer", answer_cols, answers)
            answers_written += len(answers)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Response, Answer]):
            cursor.execute(sql)
        if loading:
            cursor.execute("PRAGMA synchronous=NORMAL")
        # A table just loaded in bulk, as the autovacuum / the planner would see it in a day.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE surveys_answer" if vacuum else "ANALYZE")
    return answers_written


def _insert(cursor: Any, table: str, columns: str, rows: list[tuple]) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns.split(",")))
    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - fixed names


def _bench_rates(world: dict[str, Any], repeat: int) -> dict[str, Any]:
    from django.db import connection

    from chuangwen.bench import sample, verdict
    from chuangwen.surveys.analysis import Analysis
    from chuangwen.surveys.models import Measure

    questionnaire, round_ = world["questionnaire"], world["round"]
    checks: dict[str, Any] = {}

    def product(user: Any) -> None:
        user = type(user).objects.get(pk=user.pk)  # a fresh request: nothing cached
        analysis = Analysis(questionnaire, [round_], user)
        checks["questions"] = analysis.by_question()
        analysis.by_indicator()
        analysis.by_area(Measure.SATISFACTION)
        analysis.by_unit(Measure.SATISFACTION)
        checks["flagged"] = analysis.flagged()

    scored = [q.pk for q in Analysis(questionnaire, [round_], world["office"]).questions]
    marks = ", ".join(["%s"] * len(scored))
    sql = (
        "SELECT question_id, unit_id, COUNT(score), SUM(score), COUNT(*) FROM surveys_answer"  # noqa: S608
        f" WHERE round_id = %s AND question_id IN ({marks}) GROUP BY question_id, unit_id"
    )

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [round_.pk, *scored])
            cursor.fetchall()

    # The same aggregate in the shape the product asks for (counts per score; see Analysis.groups).
    by_score_sql = (
        "SELECT question_id, unit_id, score, COUNT(*) FROM surveys_answer"  # noqa: S608
        f" WHERE round_id = %s AND question_id IN ({marks}) GROUP BY question_id, unit_id, score"
    )

    def raw_by_score() -> None:
        with connection.cursor() as cursor:
            cursor.execute(by_score_sql, [round_.pk, *scored])
            cursor.fetchall()

    office = sample(lambda: product(world["office"]), repeat=repeat, warmup=1)
    counted = sum(r.n for r in checks["questions"])
    liaison = sample(lambda: product(world["liaison"]), repeat=repeat, warmup=1)
    return {
        "office_all_tables": office,
        "office_p95_ms": verdict(office["p95_ms"], 1000.0),
        "street_liaison_all_tables": liaison,
        "raw_sql_group_by": sample(raw, repeat=repeat, warmup=1),
        "raw_sql_group_by_score": sample(raw_by_score, repeat=repeat, warmup=1),
        "counted_answers": counted,
        "flagged_areas": len({r.key for r in checks["flagged"]}),
    }


def _bench_collection(world: dict[str, Any], count: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.test import Client

    from chuangwen.bench import verdict
    from chuangwen.surveys.models import Channel
    from chuangwen.surveys.submission import submit_response

    rng = random.Random(11)  # noqa: S311 - reproducible test data, not secrets
    round_, enumerator = world["round"], world["enumerator"]
    units = world["communities"]
    interviews = [(_interview(rng), rng.choice(units)) for _ in range(count)]
    client = Client()
    client.force_login(enumerator)
    url = f"/api/surveys/rounds/{round_.pk}/responses"
    # Warm up (imports, the compiled form, the API schema) so one-time costs are not timed.
    for answers, unit in interviews[:5]:
        submit_response(round_, unit=unit, answers=answers, idempotency_key=uuid.uuid4().hex,
                        channel=Channel.ENUMERATOR, actor=enumerator)  # fmt: skip
        body = {"idempotency_key": uuid.uuid4().hex, "unit_id": unit.pk, "answers": answers}
        client.post(url, json.dumps(body), content_type="application/json")

    start = time.perf_counter()
    for answers, unit in interviews:
        submit_response(round_, unit=unit, answers=answers, idempotency_key=uuid.uuid4().hex,
                        channel=Channel.ENUMERATOR, actor=enumerator)  # fmt: skip
    service_seconds = time.perf_counter() - start

    bodies = [
        json.dumps({"idempotency_key": uuid.uuid4().hex, "unit_id": unit.pk, "answers": answers})
        for answers, unit in interviews
    ]
    start = time.perf_counter()
    statuses = [client.post(url, body, content_type="application/json").status_code for body in bodies]
    api_seconds = time.perf_counter() - start
    retry_status = client.post(url, bodies[0], content_type="application/json").status_code

    # Raw: the same response and answer rows, one transaction each, with plain INSERTs.
    question_ids = list(round_.questionnaire.questions.values_list("pk", flat=True))
    start = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    for i, (_answers, unit) in enumerate(interviews):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO surveys_response (round_id, unit_id, channel, status, idempotency_key, sex,"
                " device_hash, phone_hash, external_ref, submitted_at, void_reason)"
                " VALUES (%s, %s, 'enumerator', 'complete', %s, '', '', '', '', %s, '')",
                [round_.pk, unit.pk, f"raw-{i}", now],
            )
            cursor.execute("SELECT id FROM surveys_response WHERE idempotency_key = %s", [f"raw-{i}"])
            response_id = cursor.fetchone()[0]
            cursor.executemany(
                "INSERT INTO surveys_answer (response_id, round_id, unit_id, question_id, number, text, score)"
                " VALUES (%s, %s, %s, %s, 1, '', 1)",
                [(response_id, round_.pk, unit.pk, pk) for pk in question_ids],
            )
    raw_seconds = time.perf_counter() - start
    concurrent = _concurrent_service(round_, enumerator, interviews, WORKERS)
    api_one = round(count / api_seconds, 1)
    api_processes = _api_processes(url, enumerator, interviews)
    return {
        "submissions": count,
        "service_per_second_one_worker": round(count / service_seconds, 1),
        # Phones submit at the same time and a server runs several workers, so what a server
        # sustains is the better of one worker (SQLite: one writer at a time anyway) and
        # WORKERS threads submitting at once, each with its own connection (PostgreSQL: their
        # commits share WAL flushes instead of each waiting for its own).
        f"service_per_second_{WORKERS}_workers": concurrent,
        "service_per_second": verdict(
            max(round(count / service_seconds, 1), concurrent), 200.0, lower_is_better=False
        ),
        # The API adds the whole request stack (session, login, OTP, lockout middleware): one
        # client process, then one per core posting at once (as a server runs one worker
        # process per core); the better of the two is held to the same target.
        "api_per_second_one_worker": api_one,
        "api_processes": api_processes,
        "api_per_second": verdict(
            max(api_one, api_processes["per_s"] if api_processes else 0.0), 200.0, lower_is_better=False
        ),
        "api_statuses": sorted(set(statuses)),
        "api_retry_status": retry_status,
        "raw_insert_per_second": round(count / raw_seconds, 1),
    }


def _api_processes(url: str, enumerator: Any, interviews: list) -> dict[str, Any] | None:
    """The API from one forked client process per core, each with its own share of fresh
    submissions; None where children cannot open the database (the smoke test)."""
    import os

    from chuangwen.bench import can_fork_clients, post_in_processes

    workers = min(os.cpu_count() or 1, WORKERS)
    if workers < 2 or not can_fork_clients():
        return None
    bodies = [
        json.dumps({"idempotency_key": uuid.uuid4().hex, "unit_id": unit.pk, "answers": answers})
        for answers, unit in interviews
    ]
    shares = [bodies[i::workers] for i in range(workers)]
    return post_in_processes(enumerator.pk, url, shares, ok=(201,))


def _concurrent_service(round_: Any, enumerator: Any, interviews: list, workers: int) -> float:
    """Submissions per second with `workers` threads submitting at once."""
    import threading

    from django.db import connection, connections

    from chuangwen.surveys.models import Channel
    from chuangwen.surveys.submission import submit_response

    if connection.in_atomic_block:
        # The smoke test's data lives in its open transaction, which other connections cannot
        # see: submit from this thread only.
        workers = 1
    barrier = threading.Barrier(workers)
    errors: list[Exception] = []

    def work(chunk: list) -> None:
        try:
            barrier.wait()
            for answers, unit in chunk:
                submit_response(round_, unit=unit, answers=answers, idempotency_key=uuid.uuid4().hex,
                                channel=Channel.ENUMERATOR, actor=enumerator)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the threads end
            errors.append(exc)
        finally:
            if workers > 1:
                connections.close_all()

    if workers == 1:
        start = time.perf_counter()
        work(interviews)
        return round(len(interviews) / (time.perf_counter() - start), 1)
    threads = [threading.Thread(target=work, args=(interviews[i::workers],)) for i in range(workers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    if errors:
        raise errors[0]
    return round(len(interviews) / seconds, 1)


def run(options: dict[str, Any]) -> dict[str, Any]:
    from contextlib import nullcontext

    from django.db import connection

    from chuangwen.bench import scratch_database

    scale = float(options.get("scale") or 1.0)
    responses = max(200, int(RESPONSES * scale))
    submissions = max(20, int(SUBMISSIONS * scale))
    repeat = int(options.get("repeat") or (10 if scale >= 0.5 else 3))
    with scratch_database() if options.get("scratch", True) else nullcontext():
        world = _world()
        start = time.perf_counter()
        answers = _fill(world, responses)
        result: dict[str, Any] = {
            "area": "surveys",
            "scale": scale,
            "database": connection.vendor,
            "responses": responses,
            "answer_rows": answers,
            "fill_seconds": round(time.perf_counter() - start, 1),
        }
        result["rates"] = _bench_rates(world, repeat)
        result["collection"] = _bench_collection(world, submissions)
    result["ok"] = all(
        v["ok"]
        for v in (
            result["rates"]["office_p95_ms"],
            result["collection"]["service_per_second"],
            result["collection"]["api_per_second"],
        )
    )
    return result
