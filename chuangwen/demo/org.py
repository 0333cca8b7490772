"""The demo organisation: 鹭川市明澜区 with its office, streets, communities, departments and people."""

from __future__ import annotations

from dataclasses import dataclass, field

from chuangwen.core.text import normalize_name
from chuangwen.demo.base import NAME_SEED, DemoContext, PersonSpec, sync
from chuangwen.demo.names import NameMaker
from chuangwen.org.models import Person, Unit, UnitAlias, UnitKind
from chuangwen.org.services import move_subtree

CITY = "LC"
DISTRICT = "ML"
OFFICE = "ML-CJB"
INSPECTION_TEAM = "ML-CJB-DC"
EDUCATION = "ML-D06"

CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    # (slot, position) pairs: the people of the unit, each becomes PersonSpec "code:slot".
    staff: tuple[tuple[str, str], ...] = field(default=())


# Streets (街道) and townships (乡镇) with their communities (社区) and villages (村).
AREAS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("ML-S01", "鹭湾街道", UnitKind.STREET, ("湾畔社区", "渔歌社区", "鹭鸣社区", "听涛社区", "沙洲社区", "港前社区")),
    ("ML-S02", "澜桥街道", UnitKind.STREET, ("桥东社区", "桥西社区", "澜岸社区", "织锦社区", "石榴社区", "晓月社区")),
    ("ML-S03", "望星街道", UnitKind.STREET, ("星河社区", "揽星社区", "北斗社区", "天枢社区", "月桂社区", "银汉社区")),
    ("ML-S04", "锦溪街道", UnitKind.STREET, ("锦绣社区", "溪口社区", "竹韵社区", "梧桐社区", "芷兰社区")),
    ("ML-T01", "茶岭镇", UnitKind.TOWNSHIP, ("茶岭社区", "云雾村", "上茶村", "岭脚村", "石泉村")),
    ("ML-T02", "杏湖镇", UnitKind.TOWNSHIP, ("杏湖社区", "荷塘村", "柳湾村", "栗子坪村", "双桥村")),
    ("ML-T03", "松坪乡", UnitKind.TOWNSHIP, ("松坪村", "杉木村", "青冈村", "岩门村")),
)  # fmt: skip

# Departments: (code, full name, short name, aliases, head title, deputy title, sections).
DEPARTMENTS: tuple[tuple[str, str, str, tuple[str, ...], str, str, tuple[str, ...]], ...] = (
    ("ML-D01", "中共明澜区委宣传部", "区委宣传部", ("宣传部", "明澜区委宣传部"), "部长", "副部长", ("文明创建科", "新闻科")),
    ("ML-D02", "明澜区商务局", "区商务局", ("商务局",), "局长", "副局长", ("商贸服务科", "市场秩序科")),
    ("ML-D03", "明澜区城市管理局", "区城管局", ("城管局", "区城市管理局", "城管执法局"), "局长", "副局长", ("市容环卫科", "城管执法大队", "市政设施科")),
    ("ML-D04", "明澜区市场监督管理局", "区市场监管局", ("市场监管局", "区市监局"), "局长", "副局长", ("食品安全科", "价格监督检查科")),
    ("ML-D05", "明澜区住房和城乡建设局", "区住建局", ("住建局", "区住房城乡建设局"), "局长", "副局长", ("物业管理科", "建筑市场科")),
    ("ML-D06", "明澜区教育局", "区教育局", ("教育局",), "局长", "副局长", ("德育科", "基础教育科")),
    ("ML-D07", "明澜区卫生健康委员会", "区卫健委", ("卫健委", "区卫健局"), "主任", "副主任", ("医政医管科", "爱卫办")),
    ("ML-D08", "鹭川市公安局明澜分局", "明澜公安分局", ("区公安分局", "公安分局"), "局长", "副局长", ("治安管理大队", "交通警察大队")),
    ("ML-D09", "明澜区文化和旅游局", "区文旅局", ("文旅局", "区文广旅局"), "局长", "副局长", ("文化艺术科", "旅游市场科")),
    ("ML-D10", "明澜区交通运输局", "区交通局", ("交通局", "区交通运输局"), "局长", "副局长", ("运输管理科",)),
    ("ML-D11", "鹭川市生态环境局明澜分局", "明澜生态环境分局", ("区生态环境分局", "生态环境分局", "区环保局"), "局长", "副局长", ("环境监察大队", "大气环境科")),
    ("ML-D12", "明澜区民政局", "区民政局", ("民政局",), "局长", "副局长", ("社区建设科", "社会救助科")),
    ("ML-D13", "明澜区司法局", "区司法局", ("司法局",), "局长", "副局长", ("普法与依法治理科",)),
    ("ML-D14", "共青团明澜区委员会", "团区委", ("区团委", "共青团明澜区委"), "书记", "副书记", ("志愿者工作部",)),
    ("ML-D15", "明澜区妇女联合会", "区妇联", ("妇联",), "主席", "副主席", ("家庭和儿童工作部",)),
    ("ML-D16", "明澜区总工会", "区总工会", ("总工会",), "常务副主席", "副主席", ("宣传教育部",)),
    ("ML-D17", "明澜区融媒体中心", "区融媒体中心", ("融媒体中心", "区融媒"), "主任", "副主任", ("新闻采编部", "新媒体部")),
    ("ML-D18", "明澜区园林绿化服务中心", "区园林绿化中心", ("园林绿化中心", "区园林处"), "主任", "副主任", ("绿化管养科",)),
    ("ML-D19", "明澜区水务局", "区水务局", ("水务局",), "局长", "副局长", ("河湖管理科",)),
    ("ML-D20", "明澜区应急管理局", "区应急局", ("应急管理局", "区应急管理局"), "局长", "副局长", ("安全生产综合协调科",)),
    ("ML-D21", "明澜区农业农村局", "区农业农村局", ("农业农村局", "区农业局"), "局长", "副局长", ("乡村振兴科",)),
    ("ML-D22", "明澜区政务服务中心", "区政务服务中心", ("政务服务中心", "区政务大厅"), "主任", "副主任", ("窗口管理科",)),
    ("ML-D23", "明澜区发展和改革局", "区发改局", ("发改局",), "局长", "副局长", ("综合科",)),
    ("ML-D24", "明澜区财政局", "区财政局", ("财政局",), "局长", "副局长", ("行政政法科",)),
)  # fmt: skip

SCHOOLS: tuple[tuple[str, str], ...] = (
    ("ML-SCH-01", "明澜区实验小学"),
    ("ML-SCH-02", "明澜区第二中学"),
    ("ML-SCH-03", "鹭湾小学"),
    ("ML-SCH-04", "茶岭镇中心学校"),
)

# Enterprises sit under the street they trade in, so the street sees its shops' frontage duties.
ENTERPRISES: tuple[tuple[str, str, str, str], ...] = (
    ("ML-ENT-01", "鹭川澜汇商业广场有限公司", "澜汇广场", "ML-S02"),
    ("ML-ENT-02", "鹭湾农贸市场管理有限公司", "鹭湾农贸市场", "ML-S01"),
    ("ML-ENT-03", "鹭川望星大酒店有限公司", "望星大酒店", "ML-S03"),
    ("ML-ENT-04", "锦溪物业服务有限公司", "锦溪物业", "ML-S04"),
)


def grid_count(index: int) -> int:
    """Grids per community: 2, 3, 4, 2, 3, 4… by the community's position."""
    return 2 + index % 3


def communities() -> list[tuple[str, str, str, str, int]]:
    """(code, name, kind, parent code, grid count) of every community and village, in order."""
    rows = []
    position = 0
    for area_code, _name, _kind, places in AREAS:
        for n, place in enumerate(places, start=1):
            kind = UnitKind.VILLAGE if place.endswith("村") else UnitKind.COMMUNITY
            rows.append((f"{area_code}-{n:02d}", place, kind, area_code, grid_count(position)))
            position += 1
    return rows


def grid_specs() -> list[tuple[str, str, str]]:
    """(grid code, grid name, community code) for every demo grid."""
    return [
        (f"{code}-G{n}", f"{name}第{CHINESE_NUMBERS[n - 1]}网格", code)
        for code, name, _kind, _parent, count in communities()
        for n in range(1, count + 1)
    ]


def unit_specs() -> list[UnitSpec]:
    """Every demo unit, parents before children."""
    specs = [
        UnitSpec(CITY, "鹭川市", UnitKind.CITY, None, "鹭川"),
        UnitSpec(
            DISTRICT,
            "明澜区",
            UnitKind.DISTRICT,
            CITY,
            "明澜",
            ("鹭川市明澜区",),
            (("secretary", "区委书记"), ("head", "区委副书记、区长"), ("deputy", "副区长")),
        ),
        UnitSpec(
            OFFICE,
            "明澜区创建全国文明城市指挥部办公室",
            UnitKind.DEPARTMENT,
            DISTRICT,
            "区创建办",
            ("创建办", "区创文办", "明澜区创建办", "指挥部办公室"),
            (("director", "主任"), ("deputy1", "副主任"), ("deputy2", "副主任")),
        ),
        UnitSpec(
            f"{OFFICE}-ZH",
            "综合科",
            UnitKind.SECTION,
            OFFICE,
            "",
            (),
            (("head", "科长"), ("admin", "信息员")),
        ),
        UnitSpec(
            INSPECTION_TEAM,
            "督查组",
            UnitKind.SECTION,
            OFFICE,
            "",
            ("创建办督查组", "督查专班"),
            (("head", "组长"), ("inspector1", "督查员"), ("inspector2", "督查员"), ("inspector3", "督查员")),
        ),
        UnitSpec(f"{OFFICE}-XC", "宣传组", UnitKind.SECTION, OFFICE, "", (), (("head", "组长"),)),
        UnitSpec(
            f"{OFFICE}-CL",
            "材料组",
            UnitKind.SECTION,
            OFFICE,
            "",
            ("创建办材料组",),
            (("head", "组长"), ("liaison", "联络员")),
        ),
    ]
    for code, name, kind, _places in AREAS:
        stem = name[:2]
        if kind == UnitKind.STREET:
            aliases = (f"{name}办事处", f"{stem}街办")
            staff = (("secretary", "党工委书记"), ("head", "办事处主任"), ("deputy", "办事处副主任"))
        else:
            aliases = (f"{name}人民政府", f"{name}政府")
            title = "镇长" if name.endswith("镇") else "乡长"
            staff = (("secretary", "党委书记"), ("head", title), ("deputy", f"副{title}"))
        staff += (("liaison", "联络员"), ("info", "信息员"), ("enumerator", "问卷调查员"))
        specs.append(UnitSpec(code, name, kind, DISTRICT, stem, aliases, staff))
    for code, name, kind, parent, count in communities():
        if kind == UnitKind.VILLAGE:
            aliases = (f"{name}委会",)
            staff = (("secretary", "党支部书记、村委会主任"), ("liaison", "信息员"))
        else:
            aliases = (f"{name}居委会",)
            staff = (("secretary", "党委书记、居委会主任"), ("liaison", "信息员"))
        staff += tuple((f"grid{n}", "网格员") for n in range(1, count + 1))
        specs.append(UnitSpec(code, name, kind, parent, "", aliases, staff))
    for code, name, short, aliases, head, deputy, sections in DEPARTMENTS:
        staff = (("head", head), ("deputy", deputy), ("liaison", "联络员"))
        specs.append(UnitSpec(code, name, UnitKind.DEPARTMENT, DISTRICT, short, aliases, staff))
        for n, section in enumerate(sections, start=1):
            title = "大队长" if section.endswith("大队") else ("部长" if section.endswith("部") else "科长")
            # Spreadsheets write a section together with its bureau: 区城管局市容环卫科.
            specs.append(
                UnitSpec(
                    f"{code}-{n}",
                    section,
                    UnitKind.SECTION,
                    code,
                    "",
                    (f"{short}{section}",),
                    (("head", title),),
                )
            )
    for code, name in SCHOOLS:
        specs.append(
            UnitSpec(
                code, name, UnitKind.SCHOOL, EDUCATION, "", (), (("head", "校长"), ("liaison", "德育主任"))
            )
        )
    for code, name, short, parent in ENTERPRISES:
        specs.append(UnitSpec(code, name, UnitKind.ENTERPRISE, parent, short, (), (("head", "总经理"),)))
    return specs


def person_specs(units: list[UnitSpec]) -> list[PersonSpec]:
    """The demo people in a fixed order, so the same names and phones come out every run."""
    maker = NameMaker(NAME_SEED)
    return [
        PersonSpec(f"{unit.code}:{slot}", unit.code, position, maker.name(), maker.phone())
        for unit in units
        for slot, position in unit.staff
    ]


def _contact(unit: UnitSpec, people: dict[str, PersonSpec]) -> tuple[str, str]:
    """A unit's contact is its liaison when it has one, else its first person."""
    slots = [slot for slot, _ in unit.staff]
    if not slots:
        return "", ""
    person = people[f"{unit.code}:{'liaison' if 'liaison' in slots else slots[0]}"]
    return person.name, person.phone


def _sync_units(ctx: DemoContext, specs: list[UnitSpec], people: dict[str, PersonSpec]) -> None:
    """Units level by level (a child needs its parent's id), then their materialised paths."""
    depth_of: dict[str, int] = {}
    levels: dict[int, list[UnitSpec]] = {}
    for spec in specs:
        depth_of[spec.code] = depth_of[spec.parent] + 1 if spec.parent else 0
        levels.setdefault(depth_of[spec.code], []).append(spec)
    for depth in sorted(levels):
        rows = []
        for order, spec in enumerate(levels[depth]):
            contact_person, contact_phone = _contact(spec, people)
            rows.append(
                {
                    "code": spec.code,
                    "name": spec.name,
                    "short_name": spec.short_name,
                    "kind": str(spec.kind),
                    "parent_id": ctx.units[spec.parent].pk if spec.parent else None,
                    "name_key": normalize_name(spec.name),
                    "short_name_key": normalize_name(spec.short_name),
                    "contact_person": contact_person,
                    "contact_phone": contact_phone,
                    "sort_order": order,
                    "is_active": True,
                }
            )
        by_code = sync(ctx, Unit, rows, ("code",))
        stale = []
        for spec in levels[depth]:
            unit = ctx.units[spec.code] = by_code[(spec.code,)]
            expected = f"{ctx.units[spec.parent].path if spec.parent else '/'}{unit.pk}/"
            if unit.path != expected:
                old = unit.path
                unit.path, unit.depth = expected, expected.count("/") - 2
                stale.append(unit)
                if old:  # an existing demo unit moved: re-root what is below it, as org code does
                    move_subtree(old, expected)
        if stale:
            Unit.objects.bulk_update(stale, ["path", "depth"])


def load(ctx: DemoContext) -> None:
    """Units, aliases and people of the demo district."""
    specs = unit_specs()
    people = {p.key: p for p in person_specs(specs)}
    ctx.person_specs.update(people)
    _sync_units(ctx, specs, people)
    alias_rows = [
        {"alias_key": normalize_name(alias), "alias": alias, "unit_id": ctx.units[spec.code].pk}
        for spec in specs
        for alias in spec.aliases
    ]
    sync(ctx, UnitAlias, alias_rows, ("alias_key",))
    person_rows = [
        {
            "unit_id": ctx.units[p.unit_code].pk,
            "name": p.name,
            "phone": p.phone,
            "position": p.position,
            "note": p.note,
            "is_active": True,
        }
        for p in people.values()
    ]
    by_key = sync(ctx, Person, person_rows, ("unit_id", "name"))
    for p in people.values():
        ctx.people[p.key] = by_key[(ctx.units[p.unit_code].pk, p.name)]
