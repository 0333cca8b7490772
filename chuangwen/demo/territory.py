"""Territorial responsibility in the demo district: grids, roads with road chiefs, adoptions."""

from __future__ import annotations

from chuangwen.demo.base import DemoContext, link_many, sync
from chuangwen.demo.geography import community_boxes, grid_box, polygon
from chuangwen.demo.org import DISTRICT, communities, grid_specs
from chuangwen.org.models import Adoption, AdoptionKind, Grid, Road, RoadSection

# Roads: (name, street or township, road-chief unit, road chief, length in metres, sections).
# A section: (name, from, to, road-chief unit, road chief).
ROADS: tuple[tuple[str, str, str, str, int, tuple[tuple[str, str, str, str, str], ...]], ...] = (
    (
        "鹭湾大道", "ML-S01", "ML-D03", "ML-D03:head", 3200,
        (
            ("东段", "澜桥路", "渔港路", "ML-D03", "ML-D03:head"),
            ("西段", "渔港路", "湾畔街", "ML-S01", "ML-S01:head"),
        ),
    ),
    ("渔港路", "ML-S01", "ML-D02", "ML-D02:deputy", 1400, ()),
    ("湾畔街", "ML-S01", "ML-S01", "ML-S01:deputy", 650, ()),
    (
        "澜桥路", "ML-S02", "ML-D05", "ML-D05:head", 2100,
        (
            ("北段", "明澜大道", "织锦巷", "ML-D05", "ML-D05:head"),
            ("南段", "织锦巷", "鹭湾大道", "ML-D12", "ML-D12:head"),
        ),
    ),
    ("织锦巷", "ML-S02", "ML-S02", "ML-S02:deputy", 480, ()),
    (
        "明澜大道", "ML-S02", DISTRICT, f"{DISTRICT}:deputy", 5600,
        (
            ("澜桥段", "鹭湾大道", "澜桥路", "ML-D08", "ML-D08:head"),
            ("望星段", "澜桥路", "望星大道", "ML-D10", "ML-D10:head"),
            ("锦溪段", "望星大道", "锦溪路", "ML-D18", "ML-D18:head"),
        ),
    ),
    ("望星大道", "ML-S03", "ML-D09", "ML-D09:head", 2800, ()),
    ("天枢路", "ML-S03", "ML-D04", "ML-D04:head", 1200, ()),
    ("银汉街", "ML-S03", "ML-S03", "ML-S03:deputy", 560, ()),
    (
        "锦溪路", "ML-S04", "ML-D06", "ML-D06:head", 1900,
        (
            ("上段", "明澜大道", "梧桐巷", "ML-D06", "ML-D06:head"),
            ("下段", "梧桐巷", "溪口桥", "ML-D07", "ML-D07:head"),
        ),
    ),
    ("梧桐巷", "ML-S04", "ML-S04", "ML-S04:deputy", 420, ()),
    ("芷兰路", "ML-S04", "ML-D19", "ML-D19:head", 1100, ()),
    ("茶岭街", "ML-T01", "ML-T01", "ML-T01:head", 900, ()),
    ("杏湖路", "ML-T02", "ML-D21", "ML-D21:head", 1600, ()),
    ("松坪公路", "ML-T03", "ML-D10", "ML-D10:deputy", 7300, ()),
)  # fmt: skip

# 单位包小区: (compound, community, adopting department); the department's deputy answers for it.
UNIT_COMPOUNDS: tuple[tuple[str, str, str], ...] = (
    ("湾畔花园", "ML-S01-01", "ML-D02"),
    ("渔歌苑", "ML-S01-02", "ML-D04"),
    ("鹭鸣家园", "ML-S01-03", "ML-D09"),
    ("桥东新村", "ML-S02-01", "ML-D05"),
    ("澜岸名苑", "ML-S02-03", "ML-D12"),
    ("织锦小区", "ML-S02-04", "ML-D13"),
    ("揽星雅苑", "ML-S03-02", "ML-D17"),
    ("天枢公寓", "ML-S03-04", "ML-D19"),
    ("银汉佳园", "ML-S03-06", "ML-D20"),
    ("溪口小区", "ML-S04-02", "ML-D23"),
    ("竹韵山庄", "ML-S04-03", "ML-D24"),
    ("梧桐里", "ML-S04-04", "ML-D22"),
)

# 干部包楼栋: (building, community, cadre); the cadre's unit is the adopting unit.
CADRE_BUILDINGS: tuple[tuple[str, str, str], ...] = (
    ("湾畔花园1栋", "ML-S01-01", "ML-D02-1:head"),
    ("湾畔花园2栋", "ML-S01-01", "ML-D02-2:head"),
    ("渔歌苑3栋", "ML-S01-02", "ML-D04-1:head"),
    ("桥东新村5栋", "ML-S02-01", "ML-D05-1:head"),
    ("桥东新村6栋", "ML-S02-01", "ML-D05-2:head"),
    ("澜岸名苑A座", "ML-S02-03", "ML-D12-1:head"),
    ("揽星雅苑2栋", "ML-S03-02", "ML-D17-1:head"),
    ("天枢公寓1栋", "ML-S03-04", "ML-D19-1:head"),
    ("溪口小区8栋", "ML-S04-02", "ML-D23-1:head"),
    ("梧桐里4栋", "ML-S04-04", "ML-D22-1:head"),
)

# 门前三包: (frontage, community, shop or enterprise, what it answers for).
FRONTAGES: tuple[tuple[str, str, str, str], ...] = (
    ("澜汇广场北门至澜桥路口", "ML-S02-04", "ML-ENT-01", "门前市容、绿化、秩序"),
    ("鹭湾农贸市场沿街门面", "ML-S01-05", "ML-ENT-02", "门前卫生、摊位不出店、车辆有序停放"),
    ("望星大酒店门前广场", "ML-S03-01", "ML-ENT-03", "门前卫生、非机动车停放"),
    ("锦溪路18号至36号商铺", "ML-S04-01", "ML-ENT-04", "门前市容、店招店牌规范"),
)


def _grids(ctx: DemoContext) -> None:
    specs = grid_specs()
    boxes = community_boxes()
    counts = {code: count for code, _name, _kind, _parent, count in communities()}
    rows = [
        {
            "code": code,
            "name": name,
            "unit_id": ctx.units[unit].pk,
            # Boundaries let problems reported with a position be routed to the grid's community.
            "polygon": polygon(grid_box(boxes[unit], int(code.rsplit("-G", 1)[1]), counts[unit])),
        }
        for code, name, unit in specs
    ]
    grids = sync(ctx, Grid, rows, ("code",))
    links = set()
    for code, _name, unit in specs:
        grid = grids[(code,)]
        number = code.rsplit("-G", 1)[1]
        links.add((grid.pk, ctx.person(f"{unit}:grid{number}").pk))
        links.add((grid.pk, ctx.person(f"{unit}:secretary").pk))  # the community head is 总网格长
    link_many(ctx, Grid.staff.through, links, ("grid_id", "person_id"))


def _roads(ctx: DemoContext) -> None:
    rows = [
        {
            "name": name,
            "unit_id": ctx.units[area].pk,
            "chief_unit_id": ctx.units[chief_unit].pk,
            "chief_person_id": ctx.person(chief).pk,
            "length_m": length,
        }
        for name, area, chief_unit, chief, length, _sections in ROADS
    ]
    roads = sync(ctx, Road, rows, ("name", "unit_id"))
    section_rows = [
        {
            "road_id": roads[(name, ctx.units[area].pk)].pk,
            "name": section,
            "start": start,
            "end": end,
            "chief_unit_id": ctx.units[chief_unit].pk,
            "chief_person_id": ctx.person(chief).pk,
        }
        for name, area, _cu, _cp, _length, sections in ROADS
        for section, start, end, chief_unit, chief in sections
    ]
    sync(ctx, RoadSection, section_rows, ("road_id", "name"))


def _adoptions(ctx: DemoContext) -> None:
    rows = []
    for target, community, department in UNIT_COMPOUNDS:
        rows.append((AdoptionKind.UNIT_COMPOUND, target, community, department, f"{department}:deputy", ""))
    for target, community, cadre in CADRE_BUILDINGS:
        rows.append((AdoptionKind.CADRE_BUILDING, target, community, cadre.split(":")[0], cadre, ""))
    for target, community, shop, note in FRONTAGES:
        rows.append((AdoptionKind.FRONTAGE, target, community, shop, f"{shop}:head", note))
    sync(
        ctx,
        Adoption,
        [
            {
                "kind": str(kind),
                "target_name": target,
                "target_unit_id": ctx.units[community].pk,
                "adopter_unit_id": ctx.units[adopter].pk,
                "adopter_person_id": ctx.person(person).pk,
                "note": note,
            }
            for kind, target, community, adopter, person, note in rows
        ],
        ("target_unit_id", "target_name", "kind", "adopter_unit_id"),
    )


def load(ctx: DemoContext) -> None:
    """Grids with their staff, roads and road sections with road chiefs, and adoptions."""
    _grids(ctx)
    _roads(ctx)
    _adoptions(ctx)
