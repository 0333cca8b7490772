"""The demo campaign: this year's campaign, its phases and tasks, the 指挥部 and working groups."""

from __future__ import annotations

import datetime as dt

from chuangwen.campaigns.models import Campaign, CampaignLevel, CommandPost, Phase, PhaseTask, WorkingGroup
from chuangwen.demo.base import DemoContext, link_many, sync
from chuangwen.demo.org import DISTRICT, INSPECTION_TEAM, OFFICE

CYCLE_YEARS = 3  # a 创建周期 runs three years (…, 2024–2026, 2027–2029, …)

# (name, lead unit, main tasks, numbered tasks), in the spirit of a street plan's four steps.
PHASES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "宣传发动、营造氛围",
        "ML-D01",
        "召开全区创建动员会，把创建目标、测评标准和责任分工传达到每个单位、社区和村，"
        "让群众知道创建、支持创建、参与创建，提高创建知晓率和支持率。",
        (
            "在主次干道、商业街区、小区出入口和公交站点更新一批公益广告、文明提示牌和市民公约宣传栏。",
            "依托新时代文明实践站、市民学校和家长学校开展文明礼仪宣讲，志愿者入户发放创建告知书。",
            "各单位明确分管领导和联络员，对照测评体系梳理本单位承担的指标，建立创建工作台账。",
        ),
    ),
    (
        "突出重点、整体推进",
        OFFICE,
        "对照测评体系逐项排查：已达标的巩固成果，未达标的找准原因、倒排工期，"
        "集中整治背街小巷、农贸市场、老旧小区等薄弱点位。",
        (
            "各牵头单位按任务分解表列出整改清单，明确完成时限和责任人，每月月底前报送进度。",
            "开展市容环境、交通秩序、占道经营和乱贴小广告专项整治，问题当日交办、限期销号。",
            "督查组每周对责任单位明查暗访，对进度滞后的单位发提醒函并在督查通报中点名。",
        ),
    ),
    (
        "巩固提高、全面达标",
        INSPECTION_TEAM,
        "组织全区模拟测评和模拟问卷，查漏补缺，确保实地考察、网上申报和问卷调查各项指标全面达标。",
        (
            "委托第三方开展模拟测评，随机抽取点位逐项打分，失分问题全部录入整改台账跟踪销号。",
            "分片区开展入户模拟问卷，摸清居民对创建工作的知晓率和满意率，对薄弱社区加密走访。",
            "完成网报材料的初审和复审并按指标归档，严防图片重复使用和补做材料。",
            "选树宣传身边好人和优秀志愿者，持续营造人人参与创建的氛围。",
        ),
    ),
    (
        "考核验收、迎检达标",
        OFFICE,
        "健全迎检期间的调度、值守和保障机制，点位责任到人，确保测评期间环境整洁、秩序良好；"
        "测评结束后总结经验，把好的做法固化为常态长效机制。",
        (
            "落实点位长、路长值守，重点路口和点位在早晚高峰安排文明劝导员上岗。",
            "指挥部办公室每日调度迎检情况，发现问题立行立改，重大情况即时报告。",
            "迎检结束后全面总结，完善常态长效管理制度，巩固扩大创建成果。",
        ),
    ),
)

# (title, person, duties), ranked as listed.
COMMAND_POSTS: tuple[tuple[str, str, str], ...] = (
    ("指挥长", f"{DISTRICT}:head", "全面领导全区创建工作，研究决定创建中的重大事项。"),
    ("副指挥长", "ML-D01:head", "协助指挥长工作，分管宣传发动、网上申报和问卷调查。"),
    ("副指挥长", f"{DISTRICT}:deputy", "协助指挥长工作，分管城市管理、环境整治和交通秩序。"),
    ("办公室主任", f"{OFFICE}:director", "主持指挥部办公室日常工作，统筹各工作组，调度督查整改进度。"),
)

# The eight working groups of a street plan: (name, lead unit, responsible person, duties, members).
WORKING_GROUPS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "综合协调组", OFFICE, f"{OFFICE}:deputy1",
        "负责全区创建工作的统筹联络和上传下达，收集汇总创建信息，起草综合性文件和迎检汇报材料，"
        "准备汇报片和重点点位的迎检线路。",
        ("ML-D01", "ML-D17", "ML-D23", "ML-D24"),
    ),
    (
        "城市管理组", "ML-D03", "ML-D03:head",
        "牵头市容环境和城市秩序整治，加密巡查频次，对占道经营、乱堆乱放、违规广告等问题疏堵结合、"
        "定人定时管理。",
        ("ML-D05", "ML-D18", "ML-D19", "ML-D11", "ML-S01", "ML-S02", "ML-S03", "ML-S04"),
    ),
    (
        "社会治安组", "ML-D08", "ML-D08:head",
        "加强重点场所、重点时段的巡逻防控，对黄赌毒等违法犯罪保持严打态势，维护路口交通秩序。",
        ("ML-D13", "ML-D10", "ML-D20"),
    ),
    (
        "商家店铺组", "ML-D02", "ML-D02:head",
        "督促沿街商户证照齐全、亮照经营，落实门前三包责任，规范店招店牌和经营秩序。",
        ("ML-D04", "ML-D03", "ML-ENT-01", "ML-ENT-02"),
    ),
    (
        "社区工作组", "ML-D12", "ML-D12:head",
        "指导社区和村开展创建，规范社区办公秩序、小区车辆停放和楼道环境，落实网格员日常巡查。",
        ("ML-D05", "ML-D15", "ML-D14", "ML-S01", "ML-S02", "ML-S03", "ML-S04", "ML-T01", "ML-T02", "ML-T03"),
    ),
    (
        "档案材料组", f"{OFFICE}-CL", f"{OFFICE}-CL:head",
        "对照网上申报指标要求，收集、审核、归档各类创建档案材料，做到一项指标一套档案。",
        ("ML-D01", "ML-D06", "ML-D09"),
    ),
    (
        "问卷调查组", "ML-D01", "ML-D01:deputy",
        "组织模拟问卷调查，分析知晓率、支持率和满意率，针对薄弱片区入户宣传，做好问卷调查迎检准备。",
        ("ML-D14", "ML-D16", "ML-D17"),
    ),
    (
        "督查指导组", INSPECTION_TEAM, f"{INSPECTION_TEAM}:head",
        "检查各单位组织机构、人员经费、宣传氛围和环境卫生落实情况，跟踪目标任务进度，督查结果按周通报。",
        ("ML-D13", "ML-D22"),
    ),
)  # fmt: skip


def phase_dates(
    today: dt.date, inspection_start: dt.date, inspection_end: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """Four back-to-back phases from the start of the year, the third one running today."""
    third_start = today - dt.timedelta(days=20)
    fourth_start = inspection_start - dt.timedelta(days=20)
    first_start = min(dt.date(today.year, 1, 1), third_start - dt.timedelta(days=90))
    # Mobilising takes about two fifths of the time before the current phase, pushing on the rest.
    second_start = first_start + dt.timedelta(days=max(30, (third_start - first_start).days * 2 // 5))
    last_end = max(inspection_end + dt.timedelta(days=14), dt.date(today.year, 12, 31))
    day = dt.timedelta(days=1)
    return [
        (first_start, second_start - day),
        (second_start, third_start - day),
        (third_start, fourth_start - day),
        (fourth_start, last_end),
    ]


def _campaign(ctx: DemoContext) -> Campaign:
    today = ctx.today
    district = ctx.unit(DISTRICT)
    cycle_start = 2024 + (today.year - 2024) // CYCLE_YEARS * CYCLE_YEARS
    inspection_start = today + dt.timedelta(days=75)
    values = {
        "name": f"明澜区{today.year}年度创建全国文明城市工作",
        "level": str(CampaignLevel.PREFECTURE),
        "office_unit_id": ctx.unit(OFFICE).pk,
        "cycle_start": cycle_start,
        "cycle_end": cycle_start + CYCLE_YEARS - 1,
        "inspection_start": inspection_start,
        "inspection_end": inspection_start + dt.timedelta(days=30),
        "description": "鹭川市创建全国文明城市，明澜区按地级以上城市测评体系迎接年度测评。演示数据，地名人名均为虚构。",
    }
    # Last year's demo campaign stops being current; a campaign of somebody else's stays current.
    Campaign.objects.filter(root_unit=district, is_current=True).exclude(year=today.year).update(
        is_current=False
    )
    if not Campaign.objects.filter(is_current=True).exclude(root_unit=district, year=today.year).exists():
        values["is_current"] = True
    (campaign,) = sync(
        ctx, Campaign, [{"root_unit_id": district.pk, "year": today.year, **values}], ("root_unit_id", "year")
    ).values()
    return campaign


def load(ctx: DemoContext) -> None:
    """This year's campaign with four phases, the command posts and the eight working groups."""
    campaign = ctx.campaign = _campaign(ctx)
    dates = phase_dates(ctx.today, campaign.inspection_start, campaign.inspection_end)
    phase_rows = [
        {
            "campaign_id": campaign.pk,
            "seq": seq,
            "name": name,
            "start": start,
            "end": end,
            "lead_unit_id": ctx.unit(lead).pk,
            "goal": goal,
        }
        for seq, ((name, lead, goal, _tasks), (start, end)) in enumerate(
            zip(PHASES, dates, strict=True), start=1
        )
    ]
    phases = sync(ctx, Phase, phase_rows, ("campaign_id", "seq"))
    task_rows = [
        {"phase_id": phases[(campaign.pk, seq)].pk, "number": number, "text": text}
        for seq, (_name, _lead, _goal, tasks) in enumerate(PHASES, start=1)
        for number, text in enumerate(tasks, start=1)
    ]
    sync(ctx, PhaseTask, task_rows, ("phase_id", "number"))
    post_rows = [
        {
            "campaign_id": campaign.pk,
            "rank": rank,
            "title": title,
            "person_id": ctx.person(person).pk,
            "duties": duties,
        }
        for rank, (title, person, duties) in enumerate(COMMAND_POSTS, start=1)
    ]
    sync(ctx, CommandPost, post_rows, ("campaign_id", "rank"))
    group_rows = [
        {
            "campaign_id": campaign.pk,
            "name": name,
            "lead_unit_id": ctx.unit(lead).pk,
            "responsible_id": ctx.person(person).pk,
            "duties": duties,
            "rank": rank,
        }
        for rank, (name, lead, person, duties, _members) in enumerate(WORKING_GROUPS, start=1)
    ]
    groups = sync(ctx, WorkingGroup, group_rows, ("campaign_id", "name"))
    members = {
        (groups[(campaign.pk, name)].pk, ctx.unit(code).pk)
        for name, _lead, _person, _duties, codes in WORKING_GROUPS
        for code in codes
    }
    link_many(ctx, WorkingGroup.members.through, members, ("workinggroup_id", "unit_id"))
