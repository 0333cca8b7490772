"""Generating a bulletin: the figures, the sections, the grouping, the files."""

from __future__ import annotations

import io
import zipfile

import pytest

from chuangwen.bulletins.models import BulletinUnit, JobState, MentionReason
from chuangwen.bulletins.tests.factories import generated, sample_problems

pytestmark = pytest.mark.django_db


def test_it_counts_problems_and_ranks_units_by_rectification_rate(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    assert bulletin.job_state == JobState.DONE, bulletin.job_error
    summary = bulletin.content["summary"]
    assert (summary["total"], summary["closed"], summary["outstanding"], summary["overdue"]) == (3, 2, 1, 1)
    assert summary["rate"] == pytest.approx(66.7)
    assert [r["name"] for r in bulletin.content["units_by_rate"]] == ["松林街道", "柳岸一社区"]
    assert [r["name"] for r in bulletin.content["streets_by_rate"]] == ["松林街道", "柳岸街道"]
    assert [r["name"] for r in bulletin.content["units_by_found"]][0] == "松林街道"


def test_it_names_the_well_rectified_and_the_overdue_units(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    assert [t["name"] for t in bulletin.content["good"]] == ["松林街道"]
    assert [t["name"] for t in bulletin.content["poor"]] == ["柳岸一社区"]
    assert "松林街道" in bulletin.good_text and "柳岸一社区" in bulletin.poor_text
    reasons = dict(BulletinUnit.objects.filter(bulletin=bulletin).values_list("unit__name", "reason"))
    assert reasons == {
        "松林街道": MentionReason.GOOD,
        "柳岸一社区": MentionReason.POOR,
        "柳岸街道": MentionReason.STREET,
    }


def test_it_groups_problems_by_street_point_type_and_point(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    groups = generated(world, django_capture_on_commit_callbacks).content["groups"]
    assert [(g["name"], g["count"]) for g in groups] == [("松林街道", 2), ("柳岸街道", 1)]
    market = groups[0]["types"][0]
    assert market["name"] == "农贸市场"
    assert market["points"][0]["name"] == "松林农贸市场"
    numbers = [p["number"] for g in groups for t in g["types"] for pt in t["points"] for p in pt["problems"]]
    assert numbers == [1, 2, 3]
    first = market["points"][0]["problems"][0]
    assert first["before_photo"] and first["after_photo"]


def test_it_writes_a_word_document_with_the_masthead_and_the_photos(
    world, django_capture_on_commit_callbacks
):
    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    with zipfile.ZipFile(io.BytesIO(bulletin.docx.read())) as docx:
        xml = docx.read("word/document.xml").decode()
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
    assert "Inspection bulletin" in xml and 'w:color w:val="C00000"' in xml
    assert "松林农贸市场" in xml and "柳岸一社区" in xml
    assert xml.count("<pic:pic") == 4  # before and after of the two closed problems
    assert media  # (identical pictures are stored once)


def test_a_street_bulletin_covers_that_street_only(world, django_capture_on_commit_callbacks):
    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks, street=world.street_b)
    assert bulletin.content["summary"]["total"] == 1
    assert [g["name"] for g in bulletin.content["groups"]] == ["柳岸街道"]


def _round_with_visit(world, point, problem_ids):
    from django.utils import timezone

    from chuangwen.inspections.models import Observation, Round, RoundPoint, VisitStatus
    from chuangwen.points.models import ChecklistItem

    today = timezone.localdate()
    round_ = Round.objects.create(
        campaign=world.campaign,
        name="第一轮督查",
        start_date=today,
        end_date=today,
        organizer=world.office_unit,
        team=world.inspection_team,
    )
    visit = RoundPoint.objects.create(
        round=round_,
        point=point,
        team=world.inspection_team,
        status=VisitStatus.DONE,
        finished_at=timezone.now(),
    )
    for number, problem_id in enumerate(problem_ids, start=1):
        item = ChecklistItem.objects.create(
            point_type=point.point_type, number=90 + number, text=f"条目{number}"
        )
        Observation.objects.create(
            round_point=visit, item=item, observed_at=timezone.now(), failed=True, problem_id=problem_id
        )
    return round_


def test_it_counts_the_points_checked_and_narrows_to_a_round(world, django_capture_on_commit_callbacks):
    data = sample_problems(world)
    round_ = _round_with_visit(world, data["market"], [data["good"][0].pk])
    whole = generated(world, django_capture_on_commit_callbacks)
    assert whole.content["summary"]["points_checked"] == 1
    in_round = generated(world, django_capture_on_commit_callbacks, round_=round_)
    assert in_round.content["summary"]["total"] == 1 and in_round.content["round"] == "第一轮督查"


def test_gathering_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from chuangwen.bulletins.content import gather
    from chuangwen.bulletins.tests.factories import draft, overdue_problem, point

    sample_problems(world)
    for n in range(6):
        overdue_problem(
            world, world.community_a, point_ref=f"P{point(world, world.community_a, name=f'点{n}').pk}"
        )
    bulletin = draft(world)
    with django_assert_max_num_queries(10):
        content = gather(bulletin)
    assert content["summary"]["total"] == 9
