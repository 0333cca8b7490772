"""Demo field points (实地考察点位): the reference point types and checklists (the points app's
seed), about thirty points inside their communities' boundaries with responsible units and
leaders, saved through the point form and service, and checklist items linked to indicators."""

from __future__ import annotations

from chuangwen.demo.base import DemoContext, login, valid
from chuangwen.demo.geography import community_boxes, spot
from chuangwen.org.models import Grid
from chuangwen.points.forms import PointForm
from chuangwen.points.models import ChecklistItem, Point, PointType
from chuangwen.points.seed import seed_reference
from chuangwen.points.services import link_indicators, save_point

# (code, name, type code, responsible unit, community it lies in, (x, y) in the community,
#  leader person key, key point?, address).
POINTS: tuple[tuple[str, str, str, str, str, tuple[float, float], str, bool, str], ...] = (
    ("ML-P01", "鹭湾大道（澜桥路至渔港路）", "ZCGD", "ML-D03", "ML-S01-01", (0.5, 0.9), "ML-D03:head", True, "鹭湾大道东段"),
    ("ML-P02", "渔港路", "ZCGD", "ML-S01", "ML-S01-02", (0.5, 0.5), "ML-S01:head", False, "渔港路全段"),
    ("ML-P03", "明澜大道澜桥段", "ZCGD", "ML-D08", "ML-S02-01", (0.2, 0.5), "ML-D08:head", True, "明澜大道澜桥段"),
    ("ML-P04", "澜桥路", "ZCGD", "ML-S02", "ML-S02-02", (0.5, 0.5), "ML-S02:head", False, "澜桥路北段"),
    ("ML-P05", "望星大道", "ZCGD", "ML-S03", "ML-S03-01", (0.5, 0.5), "ML-S03:head", False, "望星大道全段"),
    ("ML-P06", "锦溪路", "ZCGD", "ML-S04", "ML-S04-01", (0.5, 0.5), "ML-S04:head", False, "锦溪路上段"),
    ("ML-P07", "湾畔街", "BJXX", "ML-S01", "ML-S01-01", (0.2, 0.3), "ML-S01:deputy", False, "湾畔街"),
    ("ML-P08", "织锦巷", "BJXX", "ML-S02", "ML-S02-04", (0.5, 0.5), "ML-S02:deputy", False, "织锦巷"),
    ("ML-P09", "银汉街", "BJXX", "ML-S03", "ML-S03-06", (0.5, 0.5), "ML-S03:deputy", False, "银汉街"),
    ("ML-P10", "梧桐巷", "BJXX", "ML-S04", "ML-S04-04", (0.5, 0.5), "ML-S04:deputy", False, "梧桐巷"),
    ("ML-P11", "鹭湾农贸市场", "NMSC", "ML-ENT-02", "ML-S01-05", (0.5, 0.5), "ML-S01:deputy", True, "渔港路66号"),
    ("ML-P12", "望星集贸市场", "NMSC", "ML-S03", "ML-S03-02", (0.3, 0.6), "ML-S03:deputy", True, "天枢路18号"),
    ("ML-P13", "茶岭集贸市场", "NMSC", "ML-T01", "ML-T01-01", (0.5, 0.5), "ML-T01:head", False, "茶岭街中段"),
    ("ML-P14", "湾畔社区", "SQ", "ML-S01-01", "ML-S01-01", (0.6, 0.4), "ML-S01-01:secretary", True, "湾畔街12号"),
    ("ML-P15", "渔歌社区", "SQ", "ML-S01-02", "ML-S01-02", (0.3, 0.3), "ML-S01-02:secretary", False, "渔港路21号"),
    ("ML-P16", "桥东社区", "SQ", "ML-S02-01", "ML-S02-01", (0.6, 0.4), "ML-S02-01:secretary", False, "澜桥路8号"),
    ("ML-P17", "星河社区", "SQ", "ML-S03-01", "ML-S03-01", (0.3, 0.3), "ML-S03-01:secretary", False, "望星大道101号"),
    ("ML-P18", "锦绣社区", "SQ", "ML-S04-01", "ML-S04-01", (0.3, 0.3), "ML-S04-01:secretary", False, "锦溪路9号"),
    ("ML-P19", "湾畔花园", "XQ", "ML-S01-01", "ML-S01-01", (0.8, 0.6), "ML-D02:deputy", True, "湾畔街36号"),
    ("ML-P20", "渔歌苑", "XQ", "ML-S01-02", "ML-S01-02", (0.7, 0.7), "ML-D04:deputy", False, "渔港路45号"),
    ("ML-P21", "桥东新村", "XQ", "ML-S02-01", "ML-S02-01", (0.8, 0.7), "ML-D05:deputy", False, "澜桥路27号"),
    ("ML-P22", "澜岸名苑", "XQ", "ML-S02-03", "ML-S02-03", (0.5, 0.5), "ML-D12:deputy", False, "澜桥路南段3号"),
    ("ML-P23", "揽星雅苑", "XQ", "ML-S03-02", "ML-S03-02", (0.7, 0.4), "ML-D17:deputy", False, "天枢路52号"),
    ("ML-P24", "溪口小区", "XQ", "ML-S04-02", "ML-S04-02", (0.5, 0.5), "ML-D23:deputy", False, "芷兰路7号"),
    ("ML-P25", "明澜区实验小学", "ZXXX", "ML-SCH-01", "ML-S02-02", (0.2, 0.8), "ML-SCH-01:head", True, "澜桥路60号"),
    ("ML-P26", "鹭湾小学", "ZXXX", "ML-SCH-03", "ML-S01-03", (0.5, 0.5), "ML-SCH-03:head", False, "鹭鸣路2号"),
    ("ML-P27", "明澜区中心医院", "YY", "ML-D07", "ML-S03-03", (0.5, 0.5), "ML-D07:head", True, "望星大道200号"),
    ("ML-P28", "明澜区政务服务大厅", "ZWDT", "ML-D22", "ML-S02-05", (0.5, 0.5), "ML-D22:head", True, "明澜大道88号"),
    ("ML-P29", "望星安置房项目工地", "JZGD", "ML-D05", "ML-S03-05", (0.5, 0.5), "ML-D05:head", False, "银汉街北侧"),
    ("ML-P30", "鹭湾街道新时代文明实践所", "WMSJ", "ML-S01", "ML-S01-04", (0.5, 0.5), "ML-S01:secretary", False, "听涛路1号"),
    ("ML-P31", "湾畔社区新时代文明实践站", "WMSJ", "ML-S01-01", "ML-S01-01", (0.4, 0.2), "ML-S01-01:secretary", False, "湾畔街12号"),
    ("ML-P32", "明澜大道与澜桥路交叉口", "JTLK", "ML-D08", "ML-S02-02", (0.1, 0.95), "ML-D08:deputy", True, "明澜大道澜桥路口"),
    ("ML-P33", "鹭湾大道与渔港路交叉口", "JTLK", "ML-S01", "ML-S01-02", (0.9, 0.95), "ML-S01:deputy", False, "鹭湾大道渔港路口"),
)  # fmt: skip


def _seed(ctx: DemoContext) -> None:
    types, items = seed_reference(PointType, ChecklistItem)
    ctx.count(PointType, types)
    ctx.count(ChecklistItem, items)


def load(ctx: DemoContext) -> None:
    """Seed the checklists, save the points that are missing, link checklist items to the Ⅲ codes."""
    _seed(ctx)
    office = login("office")
    types = {t.code: t.pk for t in PointType.objects.all()}
    existing = {p.code: p for p in Point.objects.filter(code__in=[row[0] for row in POINTS])}
    boxes = community_boxes()
    grids = {g.code: g.pk for g in Grid.objects.filter(code__in=[f"{row[4]}-G1" for row in POINTS])}
    for code, name, type_code, unit, community, (x, y), leader, is_key, address in POINTS:
        if code in existing:
            continue
        lat, lng = spot(boxes[community], x, y)
        data = {
            "name": name,
            "code": code,
            "point_type": types[type_code],
            "address": address,
            "radius_m": 300 if type_code in ("ZCGD", "BJXX") else 200,
            "unit": ctx.unit(unit).pk,
            "grid": grids.get(f"{community}-G1", ""),
            "leader": ctx.person(leader).pk,
            "is_key": is_key,
            "is_fixed": True,
            "is_active": True,
            "position_lat": lat,
            "position_lng": lng,
            "datum": "wgs84",
        }
        existing[code] = save_point(valid(PointForm(data, user=office)), office)
        ctx.count(Point)
    ctx.points.update(existing)
    # Field checklist items name Ⅲ codes (Ⅲ-57…): point them at this campaign's indicators.
    link_indicators(office, ctx.campaign)
