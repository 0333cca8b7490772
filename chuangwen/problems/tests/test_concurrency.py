"""Two people acting on the same problem at once: one wins, the other gets a clear conflict.

The race runs on two real database connections (two threads), so it needs PostgreSQL's row
locks; SQLite serialises whole transactions and is covered by the single-connection tests in
test_services (a stale version is refused).
"""

import threading

import pytest
from django.db import connection, connections

from chuangwen.conftest import build_world
from chuangwen.core.errors import ConflictError
from chuangwen.problems import services
from chuangwen.problems.models import Problem, ProblemEvent, Status
from chuangwen.problems.tests.factories import problem_in_street_a

pytestmark = pytest.mark.django_db(transaction=True)


def race(actions):
    """Run each action in its own thread (own connection) released at the same instant."""
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
        thread.join(timeout=30)
    return results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks on two connections")
def test_two_people_accepting_and_returning_at_once_one_wins_and_the_other_gets_a_conflict():
    world = build_world()
    problem = problem_in_street_a(world)
    seen = problem.version
    results = race(
        [
            lambda: services.accept(problem.pk, world.liaison_a, version=seen),
            lambda: services.return_to_office(
                problem.pk, world.unit_admin_a, reason="不是我们的", version=seen
            ),
        ]
    )
    winners = [r for r in results if isinstance(r, Problem)]
    losers = [r for r in results if isinstance(r, ConflictError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert f"#{problem.pk}" in str(losers[0])
    problem.refresh_from_db()
    assert problem.status == winners[0].status
    assert problem.status in (Status.ACCEPTED, Status.RETURNED)
    assert problem.version == seen + 1
    # Exactly one transition reached the timeline.
    assert (
        ProblemEvent.objects.filter(problem=problem).exclude(kind__in=["reported", "dispatched"]).count() == 1
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two concurrent connections")
def test_two_retries_of_the_same_phone_submission_racing_store_one_problem():
    world = build_world()
    problem_in_street_a(world)  # categories loaded

    def submit():
        return problem_in_street_a(world, actor=world.duty_a, idempotency_key="phone-42", unit=None)

    results = race([submit, submit])
    assert all(isinstance(r, Problem) for r in results), results
    assert results[0].pk == results[1].pk
    assert Problem.objects.filter(idempotency_key="phone-42").count() == 1
