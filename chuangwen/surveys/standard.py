"""The standard citizens' questionnaire (市民问卷) an office can start from and adapt.

Its wording follows the simulated questionnaires offices run: screening for local residents
aged 18–65 who have lived here at least six months, then awareness, support, satisfaction,
participation and an overall evaluation. Indicator codes are examples to be replaced by the
campaign's own evaluation system.
"""

from __future__ import annotations

from decimal import Decimal

from chuangwen.surveys.models import Audience, Measure, QuestionKind
from chuangwen.surveys.spec import DesignSpec, OptionSpec, QuestionSpec, SectionSpec, yes_no_options

ONE, BASIC, ZERO = Decimal("1"), Decimal("0.8"), Decimal("0")


def _satisfaction() -> list[OptionSpec]:
    return [
        OptionSpec("satisfied", "满意", ONE),
        OptionSpec("fairly", "基本满意", BASIC),
        OptionSpec("unsatisfied", "不满意", ZERO),
        OptionSpec("unsure", "说不清", None),
    ]


def _satisfaction_question(name: str, label: str, code: str) -> QuestionSpec:
    return QuestionSpec(
        name,
        label,
        QuestionKind.SINGLE,
        section="main",
        measure=Measure.SATISFACTION,
        indicator_code=code,
        list_name="satisfaction",
        options=_satisfaction(),
    )


def citizen_questionnaire() -> DesignSpec:
    """The design of the standard questionnaire (a fresh copy each call)."""
    return DesignSpec(
        title="市民满意度模拟问卷",
        audience=Audience.CITIZEN,
        threshold=Decimal("0.80"),
        intro="您好！我们正在开展文明城市创建群众满意度调查，耽误您几分钟时间，谢谢配合。",
        sections=[
            SectionSpec("screen", "甄别"),
            SectionSpec("basic", "基本情况"),
            SectionSpec("main", "测评问题"),
        ],
        questions=[
            QuestionSpec(
                "age", "您的年龄是？", QuestionKind.INTEGER, section="screen",
                is_screening=True, screen_min=18, screen_max=65,
            ),
            QuestionSpec(
                "residence", "您在本地居住满6个月了吗？", QuestionKind.SINGLE, section="screen",
                is_screening=True, list_name="residence",
                options=[OptionSpec("yes", "是"), OptionSpec("no", "否", ends_interview=True)],
            ),
            QuestionSpec(
                "sex", "您的性别", QuestionKind.SINGLE, section="basic", list_name="sex",
                options=[OptionSpec("male", "男"), OptionSpec("female", "女")],
            ),
            QuestionSpec(
                "q1", "您是否知道本市正在创建全国文明城市？", QuestionKind.YES_NO, section="main",
                measure=Measure.AWARENESS, indicator_code="1.1.1", list_name="yesno",
                options=yes_no_options(),
            ),
            QuestionSpec(
                "q2", "您是否支持创建全国文明城市？", QuestionKind.SINGLE, section="main",
                measure=Measure.SUPPORT, indicator_code="1.1.2", list_name="support",
                options=[
                    OptionSpec("support", "支持", ONE),
                    OptionSpec("oppose", "不支持", ZERO),
                    OptionSpec("unsure", "说不清", None),
                ],
            ),
            _satisfaction_question("q3", "您对所在社区（小区）环境卫生状况是否满意？", "9.2.1"),
            _satisfaction_question("q4", "您对所在社区周边交通秩序是否满意？", "9.3.1"),
            _satisfaction_question("q5", "您对本地公共文化服务是否满意？", "5.1.1"),
            QuestionSpec(
                "q6", "过去一年您是否参加过志愿服务活动？", QuestionKind.YES_NO, section="main",
                measure=Measure.PARTICIPATION, indicator_code="3.2.1", list_name="yesno",
                options=yes_no_options(),
            ),
            QuestionSpec(
                "q7", "您对本市文明程度的总体评价（1—10分）", QuestionKind.RATING, section="main",
                measure=Measure.EVALUATION, indicator_code="1.1.3", scale_min=1, scale_max=10,
            ),
            QuestionSpec(
                "q8", "您通过哪些渠道了解创建工作？（可多选）", QuestionKind.MULTIPLE, section="main",
                required=False, list_name="channels",
                options=[
                    OptionSpec("tv", "电视、广播"),
                    OptionSpec("press", "报纸"),
                    OptionSpec("online", "网络、微信"),
                    OptionSpec("board", "社区宣传栏"),
                    OptionSpec("other", "其他"),
                ],
            ),
            QuestionSpec(
                "q9", "您对创建工作有什么意见和建议？", QuestionKind.TEXT, section="main", required=False,
            ),
        ],
    )  # fmt: skip


def hotline_questionnaire() -> DesignSpec:
    """The 12345 callback (回访) as a questionnaire: was the request resolved, and how satisfied
    is the caller. Callback exports are imported into a hotline round of it."""
    return DesignSpec(
        title="12345热线回访",
        audience=Audience.CITIZEN,
        threshold=Decimal("0.80"),
        sections=[SectionSpec("callback", "回访")],
        questions=[
            QuestionSpec(
                "resolved", "诉求是否解决", QuestionKind.YES_NO, section="callback",
                measure=Measure.EVALUATION, list_name="yesno", options=yes_no_options(),
            ),
            QuestionSpec(
                "satisfaction", "满意度", QuestionKind.SINGLE, section="callback",
                measure=Measure.SATISFACTION, list_name="satisfaction", options=_satisfaction(),
            ),
        ],
    )  # fmt: skip


TEMPLATES = {
    "citizen": citizen_questionnaire,
    "hotline": hotline_questionnaire,
}
