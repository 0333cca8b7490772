"""The demo task decomposition (任务分解表): tasks from the demo indicators with lead, responsible
and cooperating units, leaders, deadlines or cadences and monthly arrangements; then a few
progress reports and one task the office confirmed done, all through the tasks services."""

from __future__ import annotations

import datetime as dt

from chuangwen.demo.base import DemoContext, login
from chuangwen.demo.org import INSPECTION_TEAM, OFFICE
from chuangwen.indicators.models import Method
from chuangwen.tasks.importing import IndicatorRef, TaskRow, TaskTable, UnitRef
from chuangwen.tasks.models import AssignmentRole, ProgressReport, Task, TaskAssignment, TaskMilestone
from chuangwen.tasks.parsing import parse_arrangements, parse_schedule
from chuangwen.tasks.periods import add_months, month_start
from chuangwen.tasks.services import confirm_done, import_tasks, submit_report

STREETS = ("ML-S01", "ML-S02", "ML-S03", "ML-S04")
AREAS = (*STREETS, "ML-T01", "ML-T02", "ML-T03")
M, D, F, S = Method.MATERIALS, Method.DEPARTMENT, Method.FIELD, Method.SURVEY

# (key, Ⅲ code, title, method, lead, responsible, cooperating, when, arrangements?, materials).
# `when`: a number of days from today for a deadline, or a cadence as a table writes it.
TASKS: tuple = (
    ("T01", "Ⅲ-3", "组织理论宣讲进社区、进村", M, "ML-D01", STREETS, ("ML-D16",), "每季度", True,
     "每季度至少开展1次宣讲活动，提交实景图片2至6张，注明组织单位，参与群众不少于10人"),
    ("T02", "Ⅲ-12", "开展好家庭评选并在社区展示", M, "ML-D15", ("ML-S01", "ML-S02"), (), 40, False,
     "提交评选通知（规范文件）和展示现场图片"),
    ("T03", "Ⅲ-21", "更新主次干道和小区公益广告", F, "ML-D03", STREETS, ("ML-D01",), 30, True, ""),
    ("T04", "Ⅲ-16", "志愿者注册招募和信息维护", M, "ML-D14", AREAS, (), "每月", False,
     "每月报送注册志愿者统计表"),
    ("T05", "Ⅲ-17", "志愿服务站规范运行", F, "ML-D14", STREETS, ("ML-D12",), "长期坚持", False, ""),
    ("T06", "Ⅲ-38", "集贸市场设置公平秤和投诉点", F, "ML-D04", ("ML-ENT-02",), ("ML-S01",), -10, False, ""),
    ("T07", "Ⅲ-49", "重点路口早晚高峰文明交通劝导", F, "ML-D08", ("ML-D08-2",), ("ML-D14",), "每月", False, ""),
    ("T08", "Ⅲ-31", "12345热线诉求按期办结", D, "ML-D22", ("ML-D22-1",), (), "每月", False,
     "每月报送热线办理情况部门评价报告"),
    ("T09", "Ⅲ-57", "背街小巷路面修补和路灯维修", F, "ML-D03", ("ML-D03-3", "ML-S02"), (), 20, True, ""),
    ("T10", "Ⅲ-59", "集中整治占道经营和车辆乱停放", F, "ML-D03", STREETS, ("ML-D08",), "每月", False, ""),
    ("T11", "Ⅲ-60", "老旧小区环境卫生整治", F, "ML-D05", STREETS, ("ML-ENT-04",), 45, True, ""),
    ("T12", "Ⅲ-64", "清理飞线充电和楼道堆物", F, "ML-D20", STREETS, ("ML-D05",), 25, False, ""),
    ("T13", "Ⅲ-65", "食用农产品抽检和结果公示", M, "ML-D04", ("ML-D04-1",), (), "每季度", False,
     "每季度提交抽检情况说明报告，800字以内"),
    ("T14", "Ⅲ-70", "测算建成区绿化覆盖率", D, "ML-D18", ("ML-D18-1",), ("ML-D05",), 60, False, ""),
    ("T15", "Ⅲ-77", "工地围挡公益广告和扬尘管控", F, "ML-D05", ("ML-D05-2",), ("ML-D11",), 15, False, ""),
    ("T16", "Ⅲ-84", "入户宣传提高群众满意率", S, "ML-D01", AREAS, ("ML-D17",), "每月", True, ""),
    ("T17", "Ⅲ-86", "印发年度创建方案和任务分解表", M, OFFICE, (OFFICE,), (), -60, False,
     "提交年度方案和任务分解表（规范文件）"),
    ("T18", "Ⅲ-34", "开展法律进社区活动", M, "ML-D13", ("ML-S01", "ML-S02"), (), "每季度", False,
     "每季度开展1次，提交实景图片2至6张，参与群众不少于20人"),
    ("T19", "Ⅲ-89", "督查问题整改台账和销号", M, INSPECTION_TEAM, (INSPECTION_TEAM,), STREETS, "每月", False,
     "每月底前提交整改台账（统计表格）"),
)  # fmt: skip

STEPS = ("摸底排查，列出问题清单", "集中整治，逐项销号", "回头看，巩固整治成果", "迎检前全面复查")


def source_key(key: str) -> str:
    return f"demo-{key}"


def _when(when: int | str, today: dt.date) -> str:
    if isinstance(when, str):
        return when
    day = today + dt.timedelta(days=when)
    return f"{day.year}年{day.month}月{day.day}日"


def _arrangements(today: dt.date) -> str:
    """ "10月：…；11月：…" from two months before this one, staying inside the campaign's year."""
    first = max(1, today.month - 2)
    months = range(first, min(12, first + 3) + 1)
    return "；".join(f"{month}月：{step}" for month, step in zip(months, STEPS, strict=False))


def _units(ctx: DemoContext, lead: str, responsible: tuple, cooperating: tuple) -> list[UnitRef]:
    refs = {ctx.unit(lead).pk: UnitRef(ctx.unit(lead), AssignmentRole.LEAD)}
    for codes, role in ((responsible, AssignmentRole.RESPONSIBLE), (cooperating, AssignmentRole.COOPERATING)):
        for code in codes:
            refs.setdefault(ctx.unit(code).pk, UnitRef(ctx.unit(code), role))
    return list(refs.values())


def _leader(ctx: DemoContext, lead: str) -> tuple[str, str]:
    """(leader as written, responsible person as written): the lead unit's head and liaison."""
    specs = ctx.person_specs
    head = specs.get(f"{lead}:head") or specs.get(f"{lead}:director")
    liaison = specs.get(f"{lead}:liaison") or specs.get(f"{lead}:inspector1") or head
    return f"{head.name}（{head.position}）", liaison.name


def table(ctx: DemoContext) -> TaskTable:
    campaign = ctx.campaign
    result = TaskTable(
        campaign=campaign, system=next(iter(ctx.indicators.values())).system, sheet="任务分解表"
    )
    arrangements = _arrangements(ctx.today)
    for row, (key, code, title, method, lead, responsible, cooperating, when, steps, materials) in enumerate(
        TASKS, start=3
    ):
        indicator = ctx.indicators[code]
        leader_text, people_text = _leader(ctx, lead)
        text = arrangements if steps else ""
        result.tasks.append(
            TaskRow(
                row=row,
                source_key=source_key(key),
                indicator=IndicatorRef(3, indicator.code, indicator.name, existing=indicator),
                title=title,
                requirement=indicator.standard,
                method=str(method),
                units=_units(ctx, lead, responsible, cooperating),
                leader_text=leader_text,
                people_text=people_text,
                people_names=[people_text, leader_text.split("（")[0]],
                schedule=parse_schedule(_when(when, ctx.today), campaign.year),
                arrangements=text,
                milestones=parse_arrangements(text, campaign.year),
                material_requirement=materials,
            )
        )
    result.rows_read = len(result.tasks)
    return result


# (task, unit, months back, text): progress the units reported.
REPORTS = (
    ("T01", "ML-S01", 1, "在湾畔社区、渔歌社区各组织一场宣讲，居民约60人参加。"),
    ("T03", "ML-S01", 0, "鹭湾大道新增公益广告12处，更换褪色广告5处。"),
    ("T04", "ML-S01", 1, "本月新增注册志愿者86人，累计注册志愿者3120人。"),
    ("T04", "ML-S02", 1, "本月新增注册志愿者41人，信息核对完成。"),
    ("T10", "ML-S02", 0, "织锦巷早市占道经营已清理，设置临时疏导区。"),
    ("T11", "ML-S01", 0, "湾畔花园清理楼道堆物23处，补装楼道灯8盏。"),
    ("T17", OFFICE, 2, "年度创建方案和任务分解表已印发至各单位。"),
)


def load(ctx: DemoContext) -> None:
    """Import the task table once; on the first run also report progress and confirm one task."""
    keys = [source_key(key) for key, *_ in TASKS]
    existing = Task.objects.filter(campaign=ctx.campaign, source_key__in=keys)
    if existing.count() < len(keys):
        data = table(ctx)
        before = (Task.objects.count(), TaskAssignment.objects.count(), TaskMilestone.objects.count())
        import_tasks(data, login("office"))
        for model, count in zip((Task, TaskAssignment, TaskMilestone), before, strict=True):
            ctx.count(model, model.objects.count() - count)
        _progress(ctx, {t.source_key: t for t in existing})
    ctx.tasks.update({t.source_key.removeprefix("demo-"): t for t in existing.all()})


def _progress(ctx: DemoContext, tasks: dict[str, Task]) -> None:
    office, liaison, liaison_b = login("office"), login("liaison"), login("liaison_b")
    actors = {"ML-S01": liaison, "ML-S02": liaison_b}
    for key, unit, back, text in REPORTS:
        month = add_months(month_start(ctx.today), -back)
        submit_report(tasks[source_key(key)], ctx.unit(unit), month, text, actors.get(unit, office))
        ctx.count(ProgressReport)
    confirm_done(tasks[source_key("T17")], office)
