"""The demo evaluation system: an invented excerpt shaped like a 测评体系 (Ⅰ → Ⅱ → Ⅲ with points,
methods, grade bands and a negative list), written through the indicators import service.

The Ⅲ codes of field items are those the reference checklists name (Ⅲ-57, Ⅲ-60…), so linking
checklist items to indicators works; every text is written for the demo.
"""

from __future__ import annotations

from decimal import Decimal

from chuangwen.demo.base import DemoContext, login
from chuangwen.indicators.importing import IndicatorRow, IndicatorTable, NegativeRow
from chuangwen.indicators.models import EvaluationSystem, Indicator, IndicatorLevel, Method, Sanction
from chuangwen.indicators.services import import_indicators

SYSTEM_NAME = "鹭川市文明城市测评体系（演示节选）"
EDITION = "演示版"

M, D, P, F, S = Method.MATERIALS, Method.DEPARTMENT, Method.PHOTOS, Method.FIELD, Method.SURVEY
T = Method.PHONE  # graded from the 12345 work orders of the demo's problems

# (Ⅰ code, Ⅰ name, [(Ⅱ code, Ⅱ name, [(Ⅲ code, Ⅲ name, methods, points, standard)])]).
TREE: tuple = (
    ("Ⅰ-1", "思想引领与文明风尚", (
        ("Ⅱ-1", "核心价值观宣传普及", (
            ("Ⅲ-3", "理论宣讲进基层", (M, P), 3, "每季度在社区、村开展一次面向群众的宣讲，提供活动图片和简要说明"),
            ("Ⅲ-9", "价值观融入日常生活", (M, F), 4, "社区、学校显著位置有价值观宣传和居民公约、学生守则，内容清晰无破损"),
            ("Ⅲ-12", "家庭家教家风建设", (M, P), 2, "每半年评选一次好家庭，在社区公开展示，提供评选文件和图片"),
            ("Ⅲ-21", "公益广告抬眼可见", (M, F, S), 5, "主要道路、小区、集贸市场、工地围挡公益广告抬眼可见，内容规范、无褪色破损"),
        )),
        ("Ⅱ-2", "志愿服务常态化", (
            ("Ⅲ-16", "志愿者队伍建设", (M, S), 4, "注册志愿者占常住人口比例 A ≥13%；B ≥10%；C <10%"),
            ("Ⅲ-17", "志愿服务站点运行", (M, F), 3, "志愿服务站有标识、有人员、有台账，常年提供三项以上便民服务"),
        )),
        ("Ⅱ-3", "公共文明行为", (
            ("Ⅲ-38", "诚信经营与窗口服务", (M, F), 3, "集贸市场设公平秤和投诉点，窗口单位服务规范、办事指南上墙"),
            ("Ⅲ-41", "未成年人成长环境", (M, F), 3, "学校周边秩序良好，校外活动场所免费开放并公示开放时间"),
            ("Ⅲ-48", "公共场所文明秩序", (F, S), 4, "公共场所无乱扔杂物、随地吐痰、大声喧哗，市民排队有序"),
            ("Ⅲ-49", "路口文明通行", (F, S), 4, "路口车辆礼让行人，行人各行其道，无闯红灯、翻越护栏"),
        )),
    )),
    ("Ⅰ-2", "政务服务与法治环境", (
        ("Ⅱ-4", "便民高效的政务服务", (
            ("Ⅲ-30", "政务服务便利度", (M, S), 3, "政务大厅一窗受理、限时办结，群众办事满意"),
            ("Ⅲ-31", "12345热线办理质效", (D, T), 3, "热线诉求按期办结率 A ≥99%；B ≥97%；C <97%"),
        )),
        ("Ⅱ-5", "法治宣传教育", (
            ("Ⅲ-34", "普法宣传进社区", (M, P), 2, "每季度开展一次法律进社区活动，参与群众不少于20人"),
        )),
    )),
    ("Ⅰ-3", "宜居安全的生活环境", (
        ("Ⅱ-6", "市容与公共设施", (
            ("Ⅲ-56", "无障碍通行环境", (F,), 3, "盲道、缘石坡道连续完好，无被占用"),
            ("Ⅲ-57", "道路与照明", (F,), 5, "路面平整无坑洼，主干道亮灯率≥99%，背街小巷亮灯率≥95%"),
            ("Ⅲ-59", "街面秩序与环境卫生", (F,), 5, "街面干净整洁，无占道经营、乱停乱放、乱堆乱放"),
            ("Ⅲ-60", "社区与小区环境", (F, S), 5, "小区绿化卫生良好，垃圾分类投放，楼道整洁、照明完好"),
        )),
        ("Ⅱ-7", "平安防护", (
            ("Ⅲ-64", "消防与用电安全", (M, F), 4, "消防设施完好有效，通道畅通，无飞线充电"),
            ("Ⅲ-65", "食用农产品安全", (M, F), 3, "食用农产品抽检合格率 A ≥98%；B ≥96%；C <96%"),
        )),
    )),
    ("Ⅰ-4", "生态环境与长效机制", (
        ("Ⅱ-8", "生态环境质量", (
            ("Ⅲ-70", "建成区绿化覆盖率", (D,), 3, "建成区绿化覆盖率 A >40%；B >36%；C ≤36%"),
            ("Ⅲ-74", "空气质量", (D,), 3, "全年空气质量优良天数比例 A ≥85%；B ≥75%；C <75%"),
            ("Ⅲ-77", "施工工地文明管理", (M, F), 2, "工地围挡完好，围挡公益广告不少于三成，出入车辆冲洗，无扬尘"),
        )),
        ("Ⅱ-9", "创建长效管理", (
            ("Ⅲ-84", "群众满意程度", (S,), 6, "群众对创建工作的满意率 A >85%；B >80%；C ≤80%"),
            ("Ⅲ-86", "创建组织保障", (M,), 2, "成立创建指挥机构，有年度方案、任务分解表和经费保障"),
            ("Ⅲ-88", "创建档案管理", (M,), 2, "按指标建立档案，材料真实、分类清楚、随时可查"),
            ("Ⅲ-89", "问题整改闭环", (M,), 3, "督查发现的问题建立台账，按期整改销号，整改率不低于95%"),
        )),
    )),
)  # fmt: skip

NEGATIVE = (
    ("弄虚作假", "申报材料编造数据、补做或重复使用图片，测评中组织人员代答问卷", Sanction.DISQUALIFY, None),
    ("突击迎检", "测评前集中关停摊点、临时摆放设施，测评结束即恢复原状", Sanction.DEDUCT, Decimal("3")),
    ("重大负面事件", "发生造成恶劣社会影响的重大安全事故或群体性事件", Sanction.DEDUCT, Decimal("5")),
)


def table() -> IndicatorTable:
    """The tree as the importer's checked table (rows numbered as a sheet would be)."""
    result = IndicatorTable()
    row = 1
    for code1, name1, level2 in TREE:
        result.indicators.append(IndicatorRow(row + 1, 1, code1, name1))
        for code2, name2, level3 in level2:
            result.indicators.append(IndicatorRow(row + 1, 2, code2, name2, code1))
            for code3, name3, methods, points, standard in level3:
                row += 1
                result.indicators.append(
                    IndicatorRow(
                        row, 3, code3, name3, code2, standard, [str(m) for m in methods], Decimal(points)
                    )
                )
    result.rows_read = row - 1
    result.negatives = [
        NegativeRow(n, name, text, str(sanction), points)
        for n, (name, text, sanction, points) in enumerate(NEGATIVE, start=2)
    ]
    return result


def load(ctx: DemoContext) -> None:
    """Import the system once for this year's campaign (an existing one is left as it is)."""
    system = EvaluationSystem.objects.filter(campaign=ctx.campaign, name=SYSTEM_NAME).first()
    if system is None:
        new = EvaluationSystem(name=SYSTEM_NAME, edition=EDITION, campaign=ctx.campaign)
        data = table()
        import_indicators(data, new, login("office"))
        system = new
        ctx.count(EvaluationSystem)
        ctx.count(Indicator, len(data.indicators))
    ctx.indicators.update(
        {i.code: i for i in Indicator.objects.filter(system=system, level=IndicatorLevel.III)}
    )
