"""Door-to-door visits: the 五长 import, rounds, phone records (idempotent), opinion → problem,
coverage, the ledger export and who sees which grid."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.conftest import ROLES
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.excel import read_workbook
from chuangwen.core.xlsx import workbook
from chuangwen.org.models import Grid
from chuangwen.problems.models import Problem
from chuangwen.problems.tests.factories import category, jpeg_bytes
from chuangwen.tests.test_permission_matrix import _request
from chuangwen.visits import services
from chuangwen.visits.models import Household, Outcome, Steward, Visit, VisitRound
from chuangwen.visits.tests.fixtures import visits_world
from chuangwen.visits.tests.matrix import ROUTES

pytestmark = pytest.mark.django_db


def sheet(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    book = workbook(out)
    ws = book.add_worksheet("五长")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    book.close()
    return out.getvalue()


HEADER = ["网格", "职务", "姓名", "联系电话", "楼栋", "单元", "户号", "户主"]


@pytest.mark.parametrize("role", ROLES)
def test_visit_routes_answer_each_role_as_the_matrix_says(world, role):
    failures = []
    for route in ROUTES:
        response = _request(world, route, role)
        if response.status_code != route.status_for(role):
            failures.append(f"{route.name}: expected {route.status_for(role)}, got {response.status_code}")
    assert not failures


def test_import_dry_run_writes_nothing_then_commit_writes_stewards_and_households(world):
    vw = visits_world(world)
    data = sheet(
        [
            ["松林社区五长名册"],
            HEADER,
            ["SL-G2", "楼栋长", "岳楼长", "13900000011", "松林苑5栋", "2单元", "301", "何户主"],
            ["SL-G2", "中心户长", "岳楼长", "13900000011", "松林苑5栋", "2单元", "302", ""],
            ["松林二网格", "网格长", "罗格长", "13900000012", "", "", "", ""],
        ]
    )
    grids = Grid.objects.filter(unit=world.community_a)
    before = (Steward.objects.count(), Household.objects.count())
    result = services.import_stewards(data, world.liaison_a, grids, dry_run=True)
    assert not result.errors and not result.committed
    assert (result.stewards, result.households) == (3, 2)
    assert (Steward.objects.count(), Household.objects.count()) == before
    result = services.import_stewards(data, world.liaison_a, grids, dry_run=False)
    assert result.committed
    home = Household.objects.get(grid=vw.grid_a2, building="松林苑5栋", room="301")
    assert home.pk == vw.home_a2.pk  # the existing household is matched, not duplicated
    assert home.steward.name == "岳楼长" and home.steward.get_role_display() and home.head == "何户主"
    assert Household.objects.get(room="302").steward.role == "central"
    assert Steward.objects.filter(grid=vw.grid_a2, role="grid", name="罗格长").exists()
    assert AuditEntry.objects.filter(action="visits.stewards.import").count() == 1


def test_import_reports_every_row_error_with_row_and_column_and_writes_nothing(world):
    visits_world(world)
    data = sheet(
        [
            HEADER,
            ["SL-G1", "楼栋长", "好人", "", "松林苑2栋", "", "101", ""],
            ["LA-G1", "楼栋长", "外人", "", "柳岸小区3栋", "", "201", ""],  # community B: out of reach
            ["SL-G1", "队长", "某人", "", "", "", "", ""],
            ["SL-G1", "单元长", "", "", "", "1单元", "", ""],
        ]
    )
    grids = Grid.objects.filter(unit=world.community_a)
    before = (Steward.objects.count(), Household.objects.count())
    result = services.import_stewards(data, world.liaison_a, grids, dry_run=False)
    assert not result.committed
    assert {(e.row, e.column) for e in result.errors} == {(3, "A"), (4, "B"), (5, "C"), (5, "E")}
    assert (Steward.objects.count(), Household.objects.count()) == before


def test_import_page_checks_then_imports(world):
    visits_world(world)
    client = world.client("liaison_a")
    data = sheet([HEADER, ["SL-G1", "单元长", "贺单元", "", "松林苑1栋", "1单元", "103", ""]])
    url = reverse("visits:stewards")
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", data)})
    assert response.status_code == 200 and not Steward.objects.filter(name="贺单元").exists()
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", data), "commit": "on"}, follow=True)
    assert response.status_code == 200 and Steward.objects.filter(name="贺单元").exists()
    assert "贺单元" in response.content.decode()


def test_open_round_through_the_page_and_refuse_bad_dates(world):
    vw = visits_world(world)
    client = world.client("liaison_a")
    form = {
        "name": "三月走访",
        "unit": world.community_a.pk,
        "start": "2026-03-01",
        "end": "2026-03-10",
        "due": "2026-03-08",
        "grids": [vw.grid_a1.pk],
        "buildings": "松林苑1栋",
    }
    response = client.post(reverse("visits:round_new"), form)
    assert response.status_code == 302
    made = VisitRound.objects.get(name="三月走访")
    assert list(services.round_households(made)) == [vw.home_a1, vw.home_a1_other]
    assert AuditEntry.objects.filter(action="visits.round.open", object_id=str(made.pk)).exists()
    response = client.post(reverse("visits:round_new"), {**form, "name": "倒序", "end": "2026-02-01"})
    assert response.status_code == 400 and not VisitRound.objects.filter(name="倒序").exists()
    # a grid of community B cannot be chosen by street A's liaison
    response = client.post(reverse("visits:round_new"), {**form, "name": "越界", "grids": [vw.grid_b.pk]})
    assert response.status_code == 400 and not VisitRound.objects.filter(name="越界").exists()


def test_recording_a_visit_on_the_phone_is_idempotent_and_keeps_a_photo(world):
    vw = visits_world(world)
    client = world.client("duty_a")
    url = reverse("visits:visit", kwargs={"pk": vw.visit_round.pk, "household": vw.home_a1_other.pk})
    form = {
        "outcome": "visited",
        "materials": "宣传册",
        "difficulties": "老人行动不便",
        "idempotency_key": "k-1",
    }
    first = client.post(url, {**form, "photo": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")})
    assert first.status_code == 302
    again = client.post(
        url, {**form, "outcome": "refused", "photo": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")}
    )
    assert again.status_code == 302
    visit = Visit.objects.get(round=vw.visit_round, household=vw.home_a1_other)
    assert (
        visit.outcome == Outcome.VISITED and visit.materials == "宣传册" and visit.visited_by == world.duty_a
    )
    assert AuditEntry.objects.filter(action="visits.visit.record", object_id=str(visit.pk)).count() == 1
    assert visit.photo.name
    assert client.get(reverse("visits:photo", kwargs={"pk": visit.pk})).status_code == 200
    # a new key corrects the record (not at home), and not-at-home carries no opinions
    response = client.post(url, {"outcome": "not_home", "idempotency_key": "k-2"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.outcome == Outcome.NOT_HOME
    response = client.post(url, {"outcome": "refused", "opinions": "x", "idempotency_key": "k-3"})
    assert response.status_code == 400


def test_a_household_outside_the_round_is_refused(world):
    vw = visits_world(world)
    with pytest.raises(DomainError):
        services.record_visit(vw.visit_round, vw.home_b, world.office, services.VisitData("visited"))


def test_an_opinion_becomes_a_problem_in_one_step_once(world):
    vw = visits_world(world)
    cat = category()
    client = world.client("liaison_a")
    url = reverse("visits:to_problem", kwargs={"pk": vw.visit.pk})
    response = client.post(url, {"category": cat.pk})
    assert response.status_code == 302
    vw.visit.refresh_from_db()
    problem = Problem.objects.get(pk=vw.visit.problem_id)
    assert "楼道堆放杂物" in problem.description and problem.category == cat
    assert "松林苑1栋" in problem.address
    client.post(url, {"category": cat.pk})
    assert Problem.objects.filter(description__contains="楼道堆放杂物").count() == 1
    with pytest.raises(ConflictError):
        services.opinion_to_problem(vw.visit, world.office, cat)
    page = world.client("liaison_a").get(
        reverse("visits:visit", kwargs={"pk": vw.visit_round.pk, "household": vw.home_a1.pk})
    )
    assert f"{problem.pk}" in page.content.decode()


def test_coverage_per_grid_and_per_unit(world):
    vw = visits_world(world)
    services.record_visit(vw.visit_round, vw.home_a2, world.office, services.VisitData("refused"))
    by_grid, by_unit = services.coverage(vw.visit_round, services.round_households(vw.visit_round))
    grid = {r.label: (r.total, r.visited, r.not_home, r.refused, r.pending, r.rate) for r in by_grid}
    assert grid == {"松林一网格": (2, 1, 0, 0, 1, 50), "松林二网格": (1, 0, 0, 1, 0, 0)}
    assert [(r.label, r.total, r.visited) for r in by_unit] == [("松林一社区", 3, 1)]


def test_the_visit_ledger_export(world):
    vw = visits_world(world)
    response = world.client("liaison_a").get(reverse("visits:export", kwargs={"pk": vw.visit_round.pk}))
    assert response.status_code == 200
    rows = read_workbook(response.content)[0].rows
    flat = [[str(v) for v in row] for row in rows]
    assert any(r[:2] == ["松林一网格", "2"] or r[:2] == ["松林一网格", "2.0"] for r in flat)
    line = next(r for r in flat if "101" in r)
    assert "松林苑1栋" in line and "倡议书" in line and "楼道堆放杂物无人清理" in line and "石楼长" in line


def test_grid_staff_see_only_their_grid(world):
    vw = visits_world(world)
    page = (
        world.client("duty_a").get(reverse("visits:round", kwargs={"pk": vw.visit_round.pk})).content.decode()
    )
    assert "松林苑1栋" in page and "松林苑5栋" not in page
    other = reverse("visits:visit", kwargs={"pk": vw.visit_round.pk, "household": vw.home_a2.pk})
    assert world.client("duty_a").get(other).status_code == 404
    assert world.client("liaison_a").get(other).status_code == 200
    book = world.client("duty_a").get(reverse("visits:export", kwargs={"pk": vw.visit_round.pk})).content
    cells = {str(v) for row in read_workbook(book)[0].rows for v in row}
    assert "松林苑1栋" in cells and "松林苑5栋" not in cells
