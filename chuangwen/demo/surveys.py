"""A demo questionnaire (模拟问卷) with an open door-to-door round: quotas per community, the
enumerator sent to the other streets, and about 300 interviews spread over the communities —
a few of them clearly below the 80% line — stored through the surveys services."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from chuangwen.demo.base import DemoContext, login, valid
from chuangwen.org.models import Unit, UnitKind
from chuangwen.surveys.forms import RoundForm
from chuangwen.surveys.models import (
    Assignment,
    Audience,
    Measure,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Quota,
    Response,
    Round,
    RoundMode,
    RoundStatus,
)
from chuangwen.surveys.services import (
    add_assignment,
    create_area_quotas,
    create_questionnaire,
    save_round,
    set_questionnaire_status,
    set_round_status,
)
from chuangwen.surveys.spec import DesignSpec, OptionSpec, QuestionSpec, SectionSpec, yes_no_options
from chuangwen.surveys.submission import submit_response

NAME = "明澜区群众满意度模拟问卷"
SEED = 2026
PER_AREA = 12  # interviews per community; 25 communities × 12 = 300
# Communities where residents are less pleased: their satisfaction comes out below 80%.
WEAK = {"织锦社区": 0.55, "银汉社区": 0.6, "溪口社区": 0.62, "杏湖社区": 0.65}
ONE, BASIC, ZERO = Decimal("1"), Decimal("0.8"), Decimal("0")


def _satisfaction(name: str, label: str, code: str) -> QuestionSpec:
    options = [OptionSpec("good", "满意", ONE), OptionSpec("fair", "比较满意", BASIC),
               OptionSpec("poor", "不满意", ZERO), OptionSpec("unsure", "不好说", None)]  # fmt: skip
    return QuestionSpec(name, label, QuestionKind.SINGLE, section="main", measure=Measure.SATISFACTION,
                        indicator_code=code, list_name="satisfaction", options=options)  # fmt: skip


def design() -> DesignSpec:
    return DesignSpec(
        title=NAME,
        audience=Audience.CITIZEN,
        threshold=Decimal("0.80"),
        intro="您好！我们是明澜区创建办的调查员，想听听您对身边文明创建工作的看法，大约需要五分钟。",
        sections=[SectionSpec("screen", "甄别"), SectionSpec("basic", "基本情况"), SectionSpec("main", "调查问题")],
        questions=[
            QuestionSpec("age", "请问您今年多大年纪？", QuestionKind.INTEGER, section="screen",
                         is_screening=True, screen_min=18, screen_max=65),
            QuestionSpec("resident", "您在明澜区住了半年以上吗？", QuestionKind.SINGLE, section="screen",
                         is_screening=True, list_name="resident",
                         options=[OptionSpec("yes", "是"), OptionSpec("no", "否", ends_interview=True)]),
            QuestionSpec("sex", "性别（调查员记录）", QuestionKind.SINGLE, section="basic", list_name="sex",
                         options=[OptionSpec("male", "男"), OptionSpec("female", "女")]),
            QuestionSpec("know", "您知道鹭川市正在创建全国文明城市吗？", QuestionKind.YES_NO, section="main",
                         measure=Measure.AWARENESS, indicator_code="Ⅲ-84", list_name="yesno",
                         options=yes_no_options()),
            QuestionSpec("support", "您支持创建全国文明城市吗？", QuestionKind.SINGLE, section="main",
                         measure=Measure.SUPPORT, indicator_code="Ⅲ-84", list_name="support",
                         options=[OptionSpec("yes", "支持", ONE), OptionSpec("no", "不支持", ZERO),
                                  OptionSpec("unsure", "无所谓", None)]),
            _satisfaction("home", "您对所住小区（村）的环境卫生满意吗？", "Ⅲ-60"),
            _satisfaction("traffic", "您对家附近路口的交通秩序满意吗？", "Ⅲ-49"),
            _satisfaction("service", "您对到政务大厅办事的体验满意吗？", "Ⅲ-30"),
            QuestionSpec("volunteer", "今年您参加过志愿服务吗？", QuestionKind.YES_NO, section="main",
                         measure=Measure.PARTICIPATION, indicator_code="Ⅲ-16", list_name="yesno",
                         options=yes_no_options()),
            QuestionSpec("score", "给明澜区的文明程度打个分（1—10分）", QuestionKind.RATING, section="main",
                         measure=Measure.EVALUATION, indicator_code="Ⅲ-84", scale_min=1, scale_max=10),
            QuestionSpec("advice", "您对创建工作还有什么建议？", QuestionKind.TEXT, section="main", required=False),
        ],
    )  # fmt: skip


ADVICE = ("希望多增加停车位", "小区垃圾清运再及时一些", "路口多安排劝导员", "公园里多放几个垃圾桶", "")


def _answers(rng: random.Random, pleased: float) -> dict[str, Any]:
    def rate() -> str:
        roll = rng.random()
        if roll < pleased:
            return "good" if rng.random() < 0.7 else "fair"
        return "unsure" if roll > 0.96 else "poor"

    answers: dict[str, Any] = {
        "age": rng.randint(19, 64),
        "resident": "yes",
        "sex": rng.choice(("male", "female")),
        "know": "yes" if rng.random() < 0.9 else "no",
        "support": "yes" if rng.random() < 0.93 else rng.choice(("no", "unsure")),
        "home": rate(),
        "traffic": rate(),
        "service": rate(),
        "volunteer": "yes" if rng.random() < 0.45 else "no",
        "score": max(1, min(10, round(rng.gauss(6 + 3 * pleased, 1.2)))),
    }
    advice = rng.choice(ADVICE)
    if advice:
        answers["advice"] = advice
    return answers


def load(ctx: DemoContext) -> None:
    """The questionnaire and its round once; responses are keyed and stored only if missing."""
    office, enumerator = login("office"), login("enumerator")
    questionnaire = Questionnaire.objects.filter(campaign=ctx.campaign, name=NAME).first()
    if questionnaire is None:
        questionnaire = create_questionnaire(office, ctx.campaign, NAME, Audience.CITIZEN, design=design())
        questionnaire = set_questionnaire_status(questionnaire, QuestionnaireStatus.OPEN, office)
        ctx.count(Questionnaire)
    round_ = questionnaire.rounds.order_by("id").first()
    areas = list(
        Unit.objects.under(ctx.campaign.root_unit)
        .filter(kind=UnitKind.COMMUNITY, is_active=True)
        .order_by("path")
    )
    if round_ is None:
        round_ = _round(ctx, questionnaire, office, enumerator, areas)
    _responses(ctx, round_, enumerator, areas)


def _round(ctx: DemoContext, questionnaire: Questionnaire, office: Any, enumerator: Any,
           areas: list[Unit]) -> Round:  # fmt: skip
    today = ctx.today
    data = {"name": f"{today.year}年第{(today.month - 1) // 3 + 1}季度入户模拟问卷", "mode": RoundMode.ENUMERATOR,
            "starts_on": today - dt.timedelta(days=12), "ends_on": today + dt.timedelta(days=18),
            "require_phone": False, "rate_limit_per_hour": 30}  # fmt: skip
    round_ = save_round(valid(RoundForm(data, instance=Round(questionnaire=questionnaire))), office)
    round_ = set_round_status(round_, RoundStatus.OPEN, office)
    ctx.count(Round)
    ctx.count(Quota, create_area_quotas(round_, ctx.campaign.root_unit, UnitKind.COMMUNITY, PER_AREA, office))
    # The enumerator belongs to street A; the other streets and townships are assigned to them.
    own = {u.parent_id for u in areas if u.path.startswith(ctx.unit("ML-S01").path)}
    for parent_id in sorted({u.parent_id for u in areas} - own):
        add_assignment(round_, enumerator, Unit.objects.get(pk=parent_id), office)
        ctx.count(Assignment)
    return round_


def _responses(ctx: DemoContext, round_: Round, enumerator: Any, areas: list[Unit]) -> None:
    rng = random.Random(SEED)  # noqa: S311 - invented answers
    now = timezone.now()
    span = max(1, (ctx.today - (round_.starts_on or ctx.today)).days)
    keys = set(Response.objects.filter(round=round_).values_list("idempotency_key", flat=True))
    for area in areas:
        pleased = WEAK.get(area.name, 0.9)
        for n in range(PER_AREA):
            key = f"demo-survey-{round_.pk}-{area.code}-{n:02d}"
            answers = _answers(rng, pleased)  # drawn even when stored: the same answers every run
            when = now - dt.timedelta(days=rng.randint(0, span), minutes=rng.randint(0, 600))
            if n == PER_AREA - 1 and area.code.endswith(("-01", "-04")):  # now and then somebody too old
                answers = {"age": 71}
            if key in keys:
                continue
            _response, created = submit_response(round_, unit=area, answers=answers, idempotency_key=key,
                                                 channel="enumerator", actor=enumerator, submitted_at=when,
                                                 started_at=when - dt.timedelta(minutes=6))  # fmt: skip
            ctx.count(Response, int(created))
