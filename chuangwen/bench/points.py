"""`chuangwen bench points`: field points, inspections and sampling at district scale.

Builds 5,000 points (times --scale) of the seeded point types across a district's streets,
then measures, each beside its raw-SQL / raw-library floor in the same run:
- the map data: `GET /api/points/map` through Django's test client as the office and as a
  street liaison (scoped), against the same rows fetched with one raw SQL query + json.dumps;
- saving a 30-item checklist with 10 phone photos (12 MP JPEGs) through
  `inspections.services.record` — the server's work once the upload has arrived (parsing the
  multipart body is the upload) — against raw Pillow checks + file writes + one executemany;
  display copies are a background job and are measured apart (`display_copy_each_ms`);
- drawing 300 of the 5,000 points by type quotas with a seed through
  `inspections.services.draw_points` (candidates, draw, recorded sampling, 300 inserts, audit),
  against a raw SELECT, `random.Random(seed).sample` and one executemany.
"""

# Fake data from a seeded generator and hand-written SQL are what a benchmark is made of.
# ruff: noqa: S311, S608

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import tempfile
import time
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from PIL import Image, ImageDraw

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.bench import sample, scratch_database, verdict
from chuangwen.core.images import display_copy, inspect_photo
from chuangwen.inspections import services
from chuangwen.inspections.models import Round, RoundPoint, RoundStatus
from chuangwen.org.models import Unit, UnitKind
from chuangwen.points.models import ChecklistItem, Point, PointType

SIZES = {"points": 5000, "streets": 12, "draw": 300, "items": 30, "photos": 10}
TARGETS = {"map_ms": 1000.0, "checklist_ms": 300.0, "draw_ms": 100.0}
CENTER = (30.27, 120.15)  # a made-up district: only the spread of the points matters
PHOTO_SIZE = (4032, 3024)  # a 12-megapixel phone photo


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    repeat = int(options.get("repeat") or 20)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        media = tempfile.TemporaryDirectory(prefix="cw-bench-media-")
        try:
            # Huey stays as configured: jobs queued after a save are not part of the save.
            with override_settings(MEDIA_ROOT=media.name):
                return _run(scale, repeat, options.get("photo_size") or PHOTO_SIZE)
        finally:
            media.cleanup()


def _run(scale: float, repeat: int, photo_size: tuple[int, int]) -> dict[str, Any]:
    sizes = dict(SIZES)
    sizes["points"] = max(10, round(SIZES["points"] * scale))
    sizes["draw"] = max(3, round(SIZES["draw"] * scale))
    rng = random.Random(2026)
    start = time.perf_counter()
    district, streets, office_unit, team = _build_units(sizes["streets"])
    _build_points(streets, sizes["points"], rng)
    office, liaison, inspector = _build_users(office_unit, streets[0], team)
    build_seconds = round(time.perf_counter() - start, 2)

    map_result = _measure_map(office, liaison, streets[0], repeat)
    checklist = _measure_checklist(office_unit, team, streets[0], inspector, rng, repeat, photo_size)
    draw = _measure_draw(office_unit, team, office, sizes, repeat)
    checks = [map_result[role]["p95"]["ok"] for role in ("office", "liaison")]
    checks += [checklist["p95"]["ok"], draw["p95"]["ok"]]
    return {
        "area": "points",
        "database": connection.vendor,
        "scale": scale,
        "sizes": sizes | {"photo_pixels": list(photo_size)},
        "build_seconds": build_seconds,
        "map": map_result,
        "checklist": checklist,
        "draw": draw,
        "targets": TARGETS,
        "ok": all(checks),
        "machine": {"cpus": os.cpu_count(), "load_average": _load_average()},
    }


# -- building ----------------------------------------------------------------------------------


def _build_units(n_streets: int) -> tuple[Unit, list[Unit], Unit, Unit]:
    city = Unit.objects.create(name="云川市", code="B-C", kind=UnitKind.CITY)
    district = Unit.objects.create(name="青石区", code="B-D", kind=UnitKind.DISTRICT, parent=city)
    office = Unit.objects.create(name="青石区创建办", code="B-OFF", kind=UnitKind.DEPARTMENT, parent=district)
    team = Unit.objects.create(name="督查组", code="B-INS", kind=UnitKind.SECTION, parent=office)
    streets = [
        Unit.objects.create(name=f"第{i + 1}街道", code=f"B-S{i}", kind=UnitKind.STREET, parent=district)
        for i in range(n_streets)
    ]
    return district, streets, office, team


def _build_points(streets: list[Unit], n: int, rng: random.Random) -> None:
    types = list(PointType.objects.order_by("pk"))
    weights = [8 if t.code in ("XQ", "SQ", "ZCGD", "BJXX", "GJZD") else 1 for t in types]
    points = []
    for i in range(n):
        point_type = rng.choices(types, weights)[0]
        inspected = rng.random() < 0.6
        points.append(
            Point(
                name=f"{point_type.name}{i + 1}号",
                code=f"BP{i + 1:05d}",
                point_type=point_type,
                unit=streets[i % len(streets)],
                address=f"示范路{i + 1}号",
                lat=CENTER[0] + rng.uniform(-0.08, 0.08),
                lng=CENTER[1] + rng.uniform(-0.1, 0.1),
                is_key=rng.random() < 0.1,
                is_fixed=rng.random() < 0.05,
                last_score=round(rng.uniform(40, 100), 1) if inspected else None,
                last_failed=rng.randrange(0, 6) if inspected else None,
            )
        )
    Point.objects.bulk_create(points, batch_size=1000)


def _build_users(office_unit: Unit, street: Unit, team: Unit) -> tuple[User, User, User]:
    made = []
    for name, unit, role in (
        ("b-office", office_unit, Role.OFFICE_ADMIN),
        ("b-liaison", street, Role.LIAISON),
        ("b-inspector", team, Role.INSPECTOR),
    ):
        user = User.objects.create_user(username=name, password=None)
        Membership.objects.create(user=user, unit=unit, role=role)
        made.append(user)
    return made[0], made[1], made[2]


# -- the map -----------------------------------------------------------------------------------

_MAP_SQL = """
SELECT p.id, p.lat, p.lng, p.last_score, p.last_failed, p.name, t.code, u.name
FROM points_point p JOIN points_pointtype t ON t.id = p.point_type_id JOIN org_unit u ON u.id = p.unit_id
WHERE p.is_active AND p.lat IS NOT NULL {extra}
"""


def _measure_map(office: User, liaison: User, street: Unit, repeat: int) -> dict[str, Any]:
    result = {}
    for role, user, extra, params in (
        ("office", office, "", []),
        ("liaison", liaison, "AND u.path LIKE %s", [street.path + "%"]),
    ):
        client = Client()
        client.force_login(user)
        rows = len(json.loads(client.get("/api/points/map").content)["rows"])

        def raw(extra: str = extra, params: list = params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(_MAP_SQL.format(extra=extra), params)
                json.dumps({"rows": [list(r) for r in cursor.fetchall()]}, ensure_ascii=False)

        page = sample(lambda client=client: client.get("/api/points/map"), repeat=repeat)
        result[role] = {
            "rows": rows,
            "api": page,
            "raw_sql": sample(raw, repeat=repeat),
            "p95": verdict(page["p95_ms"], TARGETS["map_ms"]),
        }
    return result


# -- one checklist with photos -----------------------------------------------------------------


def _phone_photo(size: tuple[int, int], seed: int) -> bytes:
    """A busy, noisy picture (like a street scene) that compresses like a real phone photo."""
    rng = random.Random(seed)
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(150):
        x, y = rng.randrange(width), rng.randrange(height)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle([x, y, x + rng.randrange(40, 500), y + rng.randrange(40, 500)], fill=colour)
    image = Image.blend(image, Image.effect_noise(size, 30).convert("RGB"), 0.2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _bench_type(n_items: int) -> tuple[PointType, list[ChecklistItem]]:
    point_type = PointType.objects.create(code="BENCH", name="基准点位", sort_order=999)
    modes = [
        ("observe_absence", "occurrences_abc", {}),
        ("observe_presence", "pass_fail", {}),
        ("rate_threshold", "pass_fail", {"lamp_rate_min": 0.95}),
        ("count_min", "pass_fail", {"min_count": 5}),
        ("observe_absence", "deduction", {"deduct": 0.5}),
    ]
    items = ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                point_type=point_type,
                number=n + 1,
                text=f"基准测评标准第{n + 1}条",
                check_mode=modes[n % 5][0],
                scoring=modes[n % 5][1],
                params=modes[n % 5][2],
                points=Decimal("2"),
            )
            for n in range(n_items)
        ]
    )
    return point_type, items


def _entries(items: list[ChecklistItem], photos: list[bytes], rng: random.Random) -> list[services.Entry]:
    entries = []
    for n, item in enumerate(items):
        entry = services.Entry(item.pk, note="")
        if item.check_mode == "rate_threshold":
            entry.value = Decimal(str(rng.choice([90, 96, 99])))
        elif item.check_mode == "count_min":
            entry.value = Decimal(rng.randrange(0, 8))
        elif item.scoring in ("occurrences_abc", "deduction"):
            entry.occurrences = rng.choice([0, 0, 1, 2, 3])
        else:
            entry.result = rng.choice(["pass", "pass", "fail"])
        if n < len(photos):
            entry.photos = [photos[n]]
        entries.append(entry)
    return entries


def _measure_checklist(
    office_unit: Unit,
    team: Unit,
    street: Unit,
    inspector: User,
    rng: random.Random,
    repeat: int,
    photo_size: tuple[int, int],
) -> dict[str, Any]:
    point_type, items = _bench_type(SIZES["items"])
    runs = repeat + 2
    # One point more than the service saves: the raw floor writes its rows there.
    points = Point.objects.bulk_create(
        [
            Point(name=f"基准{i}", point_type=point_type, unit=street, lat=CENTER[0], lng=CENTER[1])
            for i in range(runs + 1)
        ]
    )
    round_ = Round.objects.create(
        name="基准督查",
        kind="supervision",
        status=RoundStatus.OPEN,
        start_date="2026-06-01",
        end_date="2026-06-07",
        organizer=office_unit,
        team=team,
    )
    services.add_points(round_, points, inspector)
    rps = list(RoundPoint.objects.filter(round=round_).select_related("round", "point").order_by("seq"))
    photos = [_phone_photo(photo_size, seed) for seed in range(SIZES["photos"])]
    plans = [_entries(items, photos, rng) for _ in range(runs)]
    queue = iter(range(runs))

    def save() -> None:
        i = next(queue)
        services.record(rps[i], plans[i], inspector, CENTER[0], CENTER[1], key=f"bench-{i}")

    timing = sample(save, repeat=repeat, warmup=2)
    media = Path(settings.MEDIA_ROOT) / "raw"
    media.mkdir(parents=True, exist_ok=True)
    raw_rp = rps[-1].pk

    def raw() -> None:
        """The floor: hash, Pillow header check and file write per photo, one executemany."""
        for n, data in enumerate(photos):
            digest = hashlib.sha256(data).hexdigest()
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            (media / f"{digest[:16]}-{n}.jpg").write_bytes(data)
        now = "2026-06-01 10:00:00"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM inspections_observation WHERE round_point_id = %s", [raw_rp])
            cursor.executemany(
                "INSERT INTO inspections_observation (round_point_id, item_id, result, grade, failed, note, "
                "observed_at, updated_at, client_key) VALUES (%s, %s, 'pass', 'A', %s, '', %s, %s, '')",
                [(raw_rp, item.pk, False, now, now) for item in items],
            )

    display_times = sample(lambda: display_copy(photos[0]), repeat=3, warmup=1)
    inspect_times = sample(lambda: inspect_photo(photos[0], max_bytes=settings.UPLOAD_MAX_BYTES), repeat=5)
    return {
        "items": len(items),
        "photos": len(photos),
        "photo_mb": round(sum(map(len, photos)) / 1024 / 1024, 1),
        "service": timing,
        "raw": sample(raw, repeat=max(3, repeat // 2)),
        "inspect_photo_each_ms": inspect_times["p50_ms"],
        "display_copy_each_ms": display_times["p50_ms"],
        "p95": verdict(timing["p95_ms"], TARGETS["checklist_ms"]),
    }


# -- drawing points by quota -------------------------------------------------------------------


def _quotas(total: int) -> dict[str, int]:
    """Quotas in proportion to how many points of each type exist (what a mock test does)."""
    rows = Point.objects.filter(is_active=True).values("point_type__code").annotate(n=Count("id"))
    counts = {row["point_type__code"]: row["n"] for row in rows}
    everything = sum(counts.values())
    return {code: max(1, round(total * n / everything)) for code, n in counts.items() if n}


def _measure_draw(
    office_unit: Unit, team: Unit, office: User, sizes: dict[str, int], repeat: int
) -> dict[str, Any]:
    quotas = _quotas(sizes["draw"])
    runs = repeat + 3
    rounds = Round.objects.bulk_create(
        [
            Round(
                name=f"抽样{i}",
                kind="mock_test",
                start_date="2026-06-01",
                end_date="2026-06-02",
                organizer=office_unit,
                team=team,
            )
            for i in range(runs)
        ]
    )
    queue = iter(rounds)
    drawn: list[int] = []

    def draw() -> None:
        row = services.draw_points(next(queue), quotas, office, seed=20260601)
        drawn.append(len(row.drawn))

    timing = sample(draw, repeat=repeat, warmup=3)
    target_round = rounds[0].pk

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, t.code FROM points_point p JOIN points_pointtype t ON t.id = p.point_type_id "
                "WHERE p.is_active ORDER BY p.id"
            )
            pool: dict[str, list[int]] = {}
            for pk, code in cursor.fetchall():
                pool.setdefault(code, []).append(pk)
            rng = random.Random(20260601)
            picked = [
                pk
                for code in sorted(quotas)
                for pk in rng.sample(pool.get(code, []), min(quotas[code], len(pool.get(code, []))))
            ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM inspections_roundpoint WHERE round_id = %s", [target_round])
            cursor.executemany(
                "INSERT INTO inspections_roundpoint (round_id, point_id, team_id, seq, status, failed_count, "
                "observed_count) VALUES (%s, %s, %s, %s, 'todo', 0, 0)",
                [(target_round, pk, team.pk, n) for n, pk in enumerate(picked)],
            )

    return {
        "candidates": Point.objects.filter(is_active=True).count(),
        "quota_total": sum(quotas.values()),
        "drawn": drawn[-1] if drawn else 0,
        "service": timing,
        "raw": sample(raw, repeat=repeat),
        "p95": verdict(timing["p95_ms"], TARGETS["draw_ms"]),
    }


def _load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None
