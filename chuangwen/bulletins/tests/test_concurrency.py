"""Publishing and creating at the same instant on real connections (threads).

The race needs PostgreSQL's row locks on several connections; SQLite's test database (shared
in-memory cache) locks whole tables and answers "table is locked" instead of waiting. On
SQLite, the file database's IMMEDIATE transactions serialise publishes anyway.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from chuangwen.bulletins import services
from chuangwen.bulletins.models import Bulletin, JobState
from chuangwen.conftest import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks on several connections"),
]


def race(actions):
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_bulletins_published_at_once_get_consecutive_numbers(monkeypatch):
    monkeypatch.setattr(services, "_queue", lambda bulletin: None)  # no files needed here
    world = build_world()
    start = dt.date(2026, 3, 1)
    drafts = [
        services.create_draft(
            world.office, campaign=world.campaign, start=start, end=start + dt.timedelta(days=i)
        )[0]
        for i in range(4)
    ]
    Bulletin.objects.update(job_state=JobState.DONE, content={"summary": {}})
    results = race([lambda b=b: services.publish(b.pk, world.office) for b in drafts])
    assert all(isinstance(r, Bulletin) for r in results), results
    assert sorted(Bulletin.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_two_people_creating_the_same_draft_at_once_make_one(monkeypatch):
    world = build_world()
    start = dt.date(2026, 3, 1)
    results = race(
        [lambda: services.create_draft(world.office, campaign=world.campaign, start=start, end=start)[0].pk]
        * 2
    )
    assert results[0] == results[1], results
    assert Bulletin.objects.count() == 1
