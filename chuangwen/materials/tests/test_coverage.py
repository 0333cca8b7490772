import datetime as dt

from chuangwen.materials import coverage, services
from chuangwen.materials.models import CoverageCell, SubmissionStatus
from chuangwen.materials.tests.factories import activity, file_activity, make_requirement, photo_upload


def _quarter_day(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 1, 10)


def test_each_period_counts_once_in_its_best_state(world):
    year = dt.date.today().year - 1
    req = make_requirement(world, window_from=dt.date(year, 1, 1), window_to=dt.date(year, 12, 31))
    q1a = file_activity(world, req, day=_quarter_day(year, 1))
    file_activity(world, req, day=_quarter_day(year, 1), seeds=(3, 4))
    q2 = file_activity(world, req, day=_quarter_day(year, 2), seeds=(5, 6))
    for user in (world.unit_admin_a, world.office, world.leader):
        q1a.refresh_from_db()
        services.review(actor=user, submission=q1a, decision="approve", revision=q1a.revision)
    services.review(
        actor=world.unit_admin_a, submission=q2, decision="send_back", comment="重拍", revision=q2.revision
    )
    cell = coverage.board([req], [world.street_a]).cell(req.pk, world.street_a.pk)
    # Q1 has an approved and an in-review activity: satisfied once; Q2 sent back; Q3, Q4 missing.
    assert (cell.due, cell.satisfied, cell.in_review, cell.sent_back) == (4, 1, 0, 1)
    assert cell.state == coverage.SENT_BACK


def test_the_kept_cells_equal_a_full_recount(world):
    req = make_requirement(world)
    sub = file_activity(world, req)
    services.review(
        actor=world.unit_admin_a, submission=sub, decision="send_back", comment="补充", revision=1
    )
    services.submit(
        actor=world.liaison_a,
        requirement=req,
        unit=world.street_a,
        data=activity(),
        uploads=[photo_upload(9)],
        previous=sub,
    )
    kept = coverage.cell_counts([req.pk], None)
    assert kept == coverage.period_counts([req.pk], None) == {(req.pk, world.street_a.pk): (0, 1, 0)}
    CoverageCell.objects.all().delete()
    assert coverage.rebuild_cells([req.pk]) == 1
    assert coverage.cell_counts([req.pk], None) == kept


def test_a_unit_assigned_but_silent_is_missing_and_a_future_window_is_not_due(world):
    from chuangwen.tasks.models import AssignmentRole, TaskAssignment

    req = make_requirement(world)
    TaskAssignment.objects.create(task=req.task, unit=world.street_b, role=AssignmentRole.RESPONSIBLE)
    board = coverage.board([req], [world.street_a, world.street_b])
    assert board.cell(req.pk, world.street_b.pk).state == coverage.MISSING
    later = make_requirement(
        world,
        window_from=dt.date.today() + dt.timedelta(days=400),
        window_to=dt.date.today() + dt.timedelta(days=700),
    )
    assert (
        coverage.board([later], [world.street_a]).cell(later.pk, world.street_a.pk).state == coverage.UPCOMING
    )


def test_the_period_grid_shows_each_period_of_one_requirement(world):
    year = dt.date.today().year - 1
    req = make_requirement(world, window_from=dt.date(year, 1, 1), window_to=dt.date(year, 12, 31))
    file_activity(world, req, day=_quarter_day(year, 3))
    from chuangwen.org.models import Unit

    grid = coverage.period_grid(req, Unit.objects.filter(pk=world.street_a.pk))
    assert [c.state for c in grid[world.street_a.pk]] == ["missing", "missing", "in_review", "missing"]
    assert SubmissionStatus.FIRST == "first"
