"""A small scored campaign: one city system with an item per method, and a minors' system.

Ⅰ 1 生活和谐宜居 → Ⅱ 1.1 → Ⅲ
  1.1.1 (4 points, materials): one requirement, street A has filed, street B has not → 50 %
  1.1.2 (3 points, field): street A's point, one item passed and one failed (open problem)
  1.1.3 (2 points, survey): community A rates 0.9, community B 0.5 (20 answers each)
  1.1.4 (2 points, 部门评价): value 96 against A ≥98 / B ≥95 / C <95 → B
  1.1.5 (1 point, telephone check): no 12345 work orders → no data
Minors' system: M1 (10 points, 部门评价) graded by hand.
Built once per test, on demand (the permission matrix uses it too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from chuangwen.indicators.models import EvaluationSystem, GradeBand, Indicator, NegativeItem, SystemLevel
from chuangwen.inspections.models import Observation, Round, RoundPoint, RoundStatus
from chuangwen.materials.models import CoverageCell, MaterialRequirement
from chuangwen.points.models import ChecklistItem
from chuangwen.points.tests.fixtures import make_point
from chuangwen.scoring.models import DepartmentEvaluation
from chuangwen.surveys.models import Answer, Question, Questionnaire, Response
from chuangwen.surveys.models import Round as SurveyRound
from chuangwen.tasks.models import Task, TaskAssignment


@dataclass
class Scored:
    system: EvaluationSystem
    minors: EvaluationSystem
    aspect: Indicator
    materials: Indicator
    field: Indicator
    survey: Indicator
    department: Indicator
    phone: Indicator
    minors_item: Indicator
    requirement: MaterialRequirement
    observation_failed: Observation
    problem: Any
    evaluation: DepartmentEvaluation
    negative: NegativeItem
    questionnaire: Questionnaire


def _indicator(
    system: EvaluationSystem,
    parent: Indicator | None,
    level: int,
    code: str,
    name: str,
    points: Any = None,
    methods: list[str] | None = None,
    position: int = 0,
) -> Indicator:
    return Indicator.objects.create(
        system=system,
        parent=parent,
        level=level,
        code=code,
        name=name,
        points=points,
        methods=methods or [],
        position=position,
    )


def _answers(survey_round: SurveyRound, question: Question, unit: Any, scores: list[float], key: str) -> None:
    for i, score in enumerate(scores):
        response = Response.objects.create(
            round=survey_round,
            unit=unit,
            channel="enumerator",
            status="complete",
            idempotency_key=f"{key}-{i}",
        )
        Answer.objects.create(
            response=response, round=survey_round, unit=unit, question=question, score=score
        )


def scored(world: Any) -> Scored:
    cached = world.__dict__.get("_scored")
    if cached is not None:
        return cached
    from chuangwen.problems.tests.factories import problem_in_street_a

    campaign = world.campaign
    system = EvaluationSystem.objects.create(
        name="全国文明城市测评体系", edition="2023年版", campaign=campaign
    )
    minors = EvaluationSystem.objects.create(
        name="未成年人思想道德建设测评体系", level=SystemLevel.MINORS, campaign=campaign
    )
    aspect = _indicator(system, None, 1, "1", "生活和谐宜居")
    content = _indicator(system, aspect, 2, "1.1", "城市管理")
    materials = _indicator(system, content, 3, "1.1.1", "创建工作机制", 4, ["materials"], 1)
    field_item = _indicator(system, content, 3, "1.1.2", "道路整洁", 3, ["field"], 2)
    survey = _indicator(system, content, 3, "1.1.3", "群众满意度", 2, ["survey"], 3)
    department = _indicator(system, content, 3, "1.1.4", "农产品质量安全监测合格率", 2, ["department"], 4)
    phone = _indicator(system, content, 3, "1.1.5", "电话核验", 1, ["phone"], 5)
    m_aspect = _indicator(minors, None, 1, "M", "未成年人")
    minors_item = _indicator(minors, m_aspect, 2, "M1", "未成年人思想道德建设工作", 10, ["department"])
    for grade, comparator, value in (("A", "≥", 98), ("B", "≥", 95), ("C", "<", 95)):
        GradeBand.objects.create(
            indicator=department,
            grade=grade,
            comparator=comparator,
            value=value,
            expression=f"{comparator}{value}%",
        )
    negative = NegativeItem.objects.create(
        system=system, name="弄虚作假", sanction="deduct", points=Decimal("2")
    )
    NegativeItem.objects.create(system=system, name="重大负面事件", sanction="disqualify")
    # Materials: a task for streets A (responsible) and B (cooperating), one requirement.
    task = Task.objects.create(
        campaign=campaign, indicator=materials, title="报送创建工作机制材料", method="materials"
    )
    TaskAssignment.objects.create(task=task, unit=world.street_a, role="lead")
    TaskAssignment.objects.create(task=task, unit=world.street_b, role="responsible")
    requirement = MaterialRequirement.objects.create(
        task=task,
        title="创建工作机制说明报告",
        kind="report",
        window_from=timezone.localdate() - dt.timedelta(days=30),
        window_to=timezone.localdate() + dt.timedelta(days=30),
    )
    CoverageCell.objects.create(requirement=requirement, unit=world.street_a, satisfied=1)
    dept_task = Task.objects.create(
        campaign=campaign, indicator=department, title="监测合格率", method="department"
    )
    TaskAssignment.objects.create(task=dept_task, unit=world.department, role="lead")
    # Field: street A's point, two items of its checklist linked to 1.1.2.
    point = make_point(world, name="松林大道", code="SC-001")
    items = list(ChecklistItem.objects.filter(point_type=point.point_type).order_by("number")[:2])
    ChecklistItem.objects.filter(pk__in=[i.pk for i in items]).update(indicator=field_item)
    today = timezone.localdate()
    inspection_round = Round.objects.create(
        name="模拟测评",
        kind="mock_test",
        status=RoundStatus.OPEN,
        start_date=today,
        end_date=today,
        organizer=world.office_unit,
        team=world.inspection_team,
        campaign=campaign,
    )
    rp = RoundPoint.objects.create(round=inspection_round, point=point, team=world.inspection_team)
    Observation.objects.create(
        round_point=rp,
        item=items[0],
        result="pass",
        grade="A",
        score=1,
        max_score=1,
        observed_at=timezone.now(),
    )
    problem = problem_in_street_a(world)
    failed = Observation.objects.create(
        round_point=rp,
        item=items[1],
        result="fail",
        grade="C#",
        score=0,
        max_score=1,
        failed=True,
        observed_at=timezone.now(),
        problem_id=problem.pk,
    )
    # Survey: 满意率 by community.
    questionnaire = Questionnaire.objects.create(campaign=campaign, name="市民问卷", status="open")
    question = Question.objects.create(
        questionnaire=questionnaire,
        name="q1",
        label="您对城市管理满意吗",
        kind="rating",
        measure="satisfaction",
        indicator_code="1.1.3",
    )
    survey_round = SurveyRound.objects.create(questionnaire=questionnaire, name="第一轮")
    _answers(survey_round, question, world.community_a, [1.0] * 18 + [0.0] * 2, "a")
    _answers(survey_round, question, world.community_b, [1.0] * 10 + [0.0] * 10, "b")
    evaluation = DepartmentEvaluation.objects.create(
        campaign=campaign, indicator=department, value=Decimal("96")
    )
    DepartmentEvaluation.objects.create(campaign=campaign, indicator=minors_item, grade="A")
    made = Scored(
        system,
        minors,
        aspect,
        materials,
        field_item,
        survey,
        department,
        phone,
        minors_item,
        requirement,
        failed,
        problem,
        evaluation,
        negative,
        questionnaire,
    )
    world.__dict__["_scored"] = made
    return made


def scored_run(world: Any) -> Any:
    """The fixture's campaign with one stored run (a small projection)."""
    cached = world.__dict__.get("_scored_run")
    if cached is None:
        from chuangwen.scoring.services import recompute

        scored(world)
        cached = world.__dict__["_scored_run"] = recompute(world.campaign, draws=200)
    return cached


def negative_event(world: Any) -> Any:
    cached = world.__dict__.get("_negative_event")
    if cached is None:
        from chuangwen.scoring.models import NegativeEvent

        cached = world.__dict__["_negative_event"] = NegativeEvent.objects.create(
            campaign=world.campaign,
            item=scored(world).negative,
            occurred_on=timezone.localdate(),
            note="照片重复",
        )
    return cached
