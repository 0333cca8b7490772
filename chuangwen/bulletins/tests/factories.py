"""Test data for bulletins: problems of streets A and B at points, closed, open and overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chuangwen.bulletins import services
from chuangwen.bulletins.models import Bulletin
from chuangwen.points.models import Point, PointType
from chuangwen.problems import services as problem_services
from chuangwen.problems.models import Problem
from chuangwen.problems.tests.factories import photo, problem_in_street_a


def point(world: Any, unit: Any, name: str = "松林农贸市场", type_name: str = "农贸市场") -> Point:
    point_type = PointType.objects.filter(name=type_name).first() or PointType.objects.create(
        code=f"T-{type_name}"[:20], name=type_name
    )
    return Point.objects.create(name=name, point_type=point_type, unit=unit)


def closed_problem(world: Any, **extra: Any) -> Problem:
    """A problem of street A (unless `unit` says otherwise) rectified and verified, with photos."""
    p = problem_in_street_a(world, photos=[photo()], **extra)
    p = problem_services.accept(p, world.liaison_a if p.unit_id == world.street_a.pk else world.office)
    p = problem_services.submit(p, world.office, measures="已清理", photos=[photo((30, 200, 30))])
    return problem_services.verify(p, world.inspector, passed=True)


def overdue_problem(world: Any, unit: Any, **extra: Any) -> Problem:
    p = problem_in_street_a(world, unit=unit, **extra)
    Problem.objects.filter(pk=p.pk).update(deadline=timezone.now() - dt.timedelta(days=2))
    p.refresh_from_db()
    return p


def sample_problems(world: Any) -> dict[str, Any]:
    """Street A: two problems at a market, both closed (rate 100%). Street B's community: one
    problem at a compound, overdue."""
    market = point(world, world.street_a)
    compound = point(world, world.community_b, name="柳岸小区", type_name="小区")
    good = [closed_problem(world, point_ref=f"P{market.pk}") for _ in range(2)]
    bad = overdue_problem(world, world.community_b, point_ref=f"P{compound.pk}", description="小区垃圾堆积")
    return {"market": market, "compound": compound, "good": good, "bad": bad}


def today_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=6), today


def draft(world: Any, **extra: Any) -> Bulletin:
    start, end = today_period()
    bulletin, _ = services.create_draft(world.office, campaign=world.campaign, start=start, end=end, **extra)
    return bulletin


def generated(world: Any, django_capture_on_commit_callbacks: Any, **extra: Any) -> Bulletin:
    bulletin = draft(world, **extra)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_generation(bulletin, world.office)
    bulletin.refresh_from_db()
    return bulletin


def published(world: Any, django_capture_on_commit_callbacks: Any, **extra: Any) -> Bulletin:
    bulletin = generated(world, django_capture_on_commit_callbacks, **extra)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(bulletin, world.office)
    bulletin.refresh_from_db()
    return bulletin


def run_jobs(bulletin: Bulletin) -> Bulletin:
    """Run the queued generation now (for tests whose transaction never commits)."""
    from chuangwen.bulletins.generation import run

    bulletin.refresh_from_db()
    run(bulletin.pk, bulletin.job_token)
    bulletin.refresh_from_db()
    return bulletin


def matrix_bulletin(world: Any) -> Bulletin:
    """A published bulletin naming street A (one problem there), made once per world."""
    cached = world.__dict__.get("_matrix_bulletin")
    if cached is not None:
        return cached
    problem_in_street_a(world)
    bulletin = draft(world)
    services.request_generation(bulletin, world.office)
    run_jobs(bulletin)
    services.publish(bulletin, world.office)
    bulletin = run_jobs(bulletin)
    world.__dict__["_matrix_bulletin"] = bulletin
    return bulletin
