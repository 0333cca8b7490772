"""`chuangwen bench offline`: the server absorbing the offline queues of many phones at once.

10,000 queued checklist entries (times --scale) from 100 devices (one round point each, the
entries of a device in their order, one in ten sent twice as after a lost answer) are posted to
`inspections:visit_save` through the whole stack (middleware, device check, capture time,
idempotency key) from forked client processes, as a server's workers would receive them. In
the same run the same view is posted plain (no queue headers, no key) for the rate without the
queue. Reported: rates, 5xx count, and the duplicate check (one stored submission per key, one
observation per point and item).

The phone side (cached pages opening offline, photos sent from the queue) is measured in the
browser tests; see docs/offline.md.
"""

# Fake data from a seeded generator is what a benchmark is made of.
# ruff: noqa: S311

from __future__ import annotations

import multiprocessing
import random
import time
from contextlib import nullcontext
from typing import Any

from django.db import connections
from django.utils import timezone

from chuangwen.bench import can_fork_clients, scratch_database, verdict
from chuangwen.bench.points import _bench_type, _build_units, _build_users
from chuangwen.inspections import services
from chuangwen.inspections.models import ChecklistSubmission, Observation, Round, RoundPoint, RoundStatus
from chuangwen.points.models import Point

SIZES = {"items": 10_000, "devices": 100, "checklist": 30, "workers": 4, "plain": 2_000}
CENTER = (30.27, 120.15)


def run(options: dict[str, Any]) -> dict[str, Any]:
    scale = float(options.get("scale") or 1.0)
    with scratch_database() if options.get("scratch", True) else nullcontext():
        return _run(scale)


def _run(scale: float) -> dict[str, Any]:
    sizes = dict(SIZES)
    sizes["items"] = max(20, round(SIZES["items"] * scale))
    sizes["plain"] = max(10, round(SIZES["plain"] * scale))
    sizes["devices"] = max(2, min(SIZES["devices"], sizes["items"] // 10))
    rng = random.Random(2026)
    _district, streets, office_unit, team = _build_units(2)
    _office, _liaison, inspector = _build_users(office_unit, streets[0], team)
    point_type, items = _bench_type(sizes["checklist"])
    n_points = 2 * sizes["devices"]  # the second half takes the plain posts
    points = Point.objects.bulk_create(
        [
            Point(name=f"离线基准{i}", point_type=point_type, unit=streets[0], lat=CENTER[0], lng=CENTER[1])
            for i in range(n_points)
        ]
    )
    round_ = Round.objects.create(
        name="离线基准督查",
        kind="supervision",
        status=RoundStatus.OPEN,
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        organizer=office_unit,
        team=team,
    )
    services.add_points(round_, points, inspector)
    rps = list(RoundPoint.objects.filter(round=round_).order_by("seq").values_list("pk", flat=True))
    captured = timezone.now().replace(microsecond=0) - timezone.timedelta(hours=3)

    per_device = sizes["items"] // sizes["devices"]
    queues: list[list[dict[str, str]]] = []
    keys = set()
    for d in range(sizes["devices"]):
        device = f"bench-device-{d:04d}-{rng.getrandbits(64):016x}"
        bodies = []
        for n in range(per_device):
            key = f"bench-{d}-{n}"
            keys.add(key)
            body = {
                "rp": str(rps[d]),
                "item": str(items[n % len(items)].pk),
                "result": rng.choice(["pass", "fail", "na"]),
                "client_key": key,
                "captured_at": (captured + timezone.timedelta(seconds=n)).isoformat(),
                "lat": str(CENTER[0]),
                "lng": str(CENTER[1]),
                "gps_accuracy": "9",
                "device": device,
            }
            bodies.append(body)
            if n % 10 == 9:
                bodies.append(dict(body))  # the answer was lost: the phone sends it again
        queues.append(bodies)
    plain_rps = rps[sizes["devices"] :]
    plain: list[list[dict[str, str]]] = [[] for _ in plain_rps]
    for n in range(sizes["plain"]):
        plain[n % len(plain_rps)].append(
            {
                "rp": str(plain_rps[n % len(plain_rps)]),
                "item": str(items[n % len(items)].pk),
                "result": "pass",
            }
        )
    if not can_fork_clients():
        return {"area": "offline", "skipped": "needs a database forked clients can open"}

    queued = _post_in_processes(inspector.pk, _shares(queues, sizes["workers"]), queued=True)
    plain_result = _post_in_processes(inspector.pk, _shares(plain, sizes["workers"]), queued=False)
    stored = ChecklistSubmission.objects.filter(key__startswith="bench-").count()
    observations = Observation.objects.filter(round_point_id__in=rps[: sizes["devices"]]).count()
    expected_observations = sizes["devices"] * min(per_device, len(items))
    rate_ratio = round(queued["per_s"] / plain_result["per_s"], 2) if plain_result["per_s"] else None
    return {
        "area": "offline",
        "sizes": sizes,
        "queued": queued,
        "plain": plain_result,
        "stored_submissions": stored,
        "unique_keys": len(keys),
        "observations": observations,
        "expected_observations": expected_observations,
        "targets": {
            "no_duplicate": verdict(
                float(stored == len(keys) and observations == expected_observations), 1.0, False
            ),
            "no_5xx": verdict(float(queued["server_errors"] + plain_result["server_errors"]), 0.0),
            "queued_rate_vs_plain": rate_ratio,
        },
    }


def _shares(queues: list[list[dict[str, str]]], workers: int) -> list[list[list[dict[str, str]]]]:
    """Devices dealt to the workers: a device's entries stay together and in order."""
    shares: list[list[list[dict[str, str]]]] = [[] for _ in range(workers)]
    for i, queue in enumerate(queues):
        shares[i % workers].append(queue)
    return [s for s in shares if s]


def _worker(results: Any, user_id: int, share: list[list[dict[str, str]]], queued: bool) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    connections.close_all()
    try:
        client = Client()
        client.force_login(get_user_model().objects.get(pk=user_id))
        counts = {"requests": 0, "ok": 0, "refused": 0, "server_errors": 0}
        for queue in share:
            for body in queue:
                data = dict(body)
                url = reverse("inspections:visit_save", args=[int(data.pop("rp"))])
                headers = {"HTTP_ACCEPT": "application/json"}
                if queued:
                    headers |= {"HTTP_X_CW_QUEUED": "1", "HTTP_X_CW_DEVICE": data.pop("device")}
                response = client.post(url, data, **headers)
                counts["requests"] += 1
                if response.status_code >= 500:
                    counts["server_errors"] += 1
                elif response.status_code >= 400:
                    counts["refused"] += 1
                else:
                    counts["ok"] += 1
        results.put(counts)
    finally:
        connections.close_all()


def _post_in_processes(user_id: int, shares: list, queued: bool) -> dict[str, Any]:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    connections.close_all()
    processes = [context.Process(target=_worker, args=(results, user_id, share, queued)) for share in shares]
    start = time.perf_counter()
    for process in processes:
        process.start()
    totals = {"requests": 0, "ok": 0, "refused": 0, "server_errors": 0}
    for _ in processes:
        for k, v in results.get(timeout=3600).items():
            totals[k] += v
    for process in processes:
        process.join()
    seconds = time.perf_counter() - start
    return {
        **totals,
        "workers": len(shares),
        "seconds": round(seconds, 2),
        "per_s": round(totals["requests"] / seconds, 1) if seconds else 0.0,
    }
