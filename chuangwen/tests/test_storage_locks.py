"""An upload to a storage that hangs holds no lock on the problem (issue 23): the files are
written before the transaction opens. Needs two real database connections with row locks
(PostgreSQL); test_storage_failures checks the order of writes and transaction on both
databases."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from chuangwen.conftest import build_world
from chuangwen.core.storage import StorageUnavailable
from chuangwen.core.tests import storage_fixtures
from chuangwen.problems import services
from chuangwen.problems.models import PhotoKind, Problem
from chuangwen.problems.tests.factories import photo, problem_in_street_a

hung_storage = storage_fixtures.hung_storage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks on two connections")
def test_while_an_upload_waits_on_a_hung_storage_another_request_can_lock_the_problem(hung_storage):
    world = build_world()
    problem = problem_in_street_a(world)
    services.accept(problem.pk, world.liaison_a)
    outcome: list[object] = []

    def upload() -> None:
        try:
            outcome.append(
                services.add_photos(problem.pk, world.liaison_a, photos=[photo()], kind=PhotoKind.AFTER)
            )
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcome.append(exc)
        finally:
            connections.close_all()

    uploader = threading.Thread(target=upload)
    uploader.start()
    try:
        assert hung_storage.connected.wait(timeout=30), "the upload never reached the storage"
        # The upload is now waiting on the storage: the problem's row must be free.
        with transaction.atomic():
            locked = Problem.objects.select_for_update(nowait=True).get(pk=problem.pk)
            Problem.objects.filter(pk=locked.pk).update(address="松林路14号")
    finally:
        uploader.join(timeout=60)
    assert len(outcome) == 1 and isinstance(outcome[0], StorageUnavailable), outcome
    assert not Problem.objects.get(pk=problem.pk).photos.exists()
