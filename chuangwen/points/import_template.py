"""The templates of the point import and of the checklist (point types and items) import."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangwen.core.import_template import TemplateColumn, TemplateSheet, template_xlsx
from chuangwen.points.models import PointType

DATUM_CHOICES = ("WGS-84", "GCJ-02", "BD-09")
YES_CHOICES = ("是", "否")
CHECK_MODE_CHOICES = (
    "observe_absence",
    "observe_presence",
    "count_per_distance",
    "count_min",
    "rate_threshold",
    "phone_verification",
    "document_check",
)
SCORING_CHOICES = ("pass_fail", "occurrences_abc", "deduction")


def point_template(unit_example: str = "") -> bytes:
    """`unit_example`: a unit of the user's, so the example row imports as it is."""
    types = tuple(PointType.objects.order_by("code").values_list("name", flat=True))
    columns = [
        TemplateColumn(
            "点位编号", _("A unique code; a re-import updates the point with this code."), "P-001", width=10
        ),
        TemplateColumn("点位名称", _("The point's name."), "桃源路（人民路—建设路）", True, width=24),
        TemplateColumn(
            "点位类型",
            _("The point type (the checklist it is inspected with)."),
            types[0] if types else "主次干道",
            True,
            choices=types,
        ),
        TemplateColumn("地址", _("Address (optional)."), "桃源路", width=20),
        TemplateColumn("经度", _("Longitude, decimal degrees (optional)."), 120.1551, width=11),
        TemplateColumn("纬度", _("Latitude, decimal degrees (optional)."), 30.2741, width=11),
        TemplateColumn(
            "坐标系", _("Coordinate system of the longitude and latitude."), "GCJ-02", choices=DATUM_CHOICES
        ),
        TemplateColumn("网格", _("Grid code (optional)."), ""),
        TemplateColumn("责任单位", _("The unit that answers for the point."), unit_example, True, width=18),
        TemplateColumn("责任领导", _("Responsible leader (optional)."), ""),
        TemplateColumn("责任干部", _("Responsible cadre (optional)."), ""),
        TemplateColumn("重点点位", _("是 for a key point."), "否", choices=YES_CHOICES, width=9),
        TemplateColumn(
            "固定点位",
            _("是 for a point reported to the inspectors (申报点位)."),
            "是",
            choices=YES_CHOICES,
            width=9,
        ),
        TemplateColumn("签到半径", _("Check-in radius in metres (optional)."), 200, width=9),
        TemplateColumn("备注", _("Note (optional)."), ""),
    ]
    return template_xlsx(_("Template: points"), [TemplateSheet("点位", columns)])


def checklist_template() -> bytes:
    types = TemplateSheet(
        "点位类型",
        [
            TemplateColumn("类型编码", _("A unique code of the point type."), "ZCGD-2", True, width=10),
            TemplateColumn("类型名称", _("The point type's name."), "主干道（示例）", True, width=18),
            TemplateColumn("分组", _("Group (optional)."), "道路"),
            TemplateColumn(
                "主要检查内容",
                _("What is checked there, in a sentence (optional)."),
                "路面、路灯、公益广告",
                width=30,
            ),
        ],
    )
    items = TemplateSheet(
        "测评标准条目",
        [
            TemplateColumn(
                "点位类型",
                _("Code or name of the point type (in this file or recorded)."),
                "ZCGD-2",
                True,
                width=12,
            ),
            TemplateColumn("序号", _("Item number within the type (a whole number)."), 1, True, width=6),
            TemplateColumn(
                "测评指标", _("Code of the indicator the item belongs to (optional)."), "", width=10
            ),
            TemplateColumn(
                "测评标准",
                _("The standard as the inspector reads it."),
                "路面平整，无坑洼、无积水",
                True,
                width=40,
            ),
            TemplateColumn(
                "检查方式",
                _("How the inspector checks it."),
                "observe_absence",
                choices=CHECK_MODE_CHOICES,
                width=18,
            ),
            TemplateColumn("参数", _('Parameters as JSON, e.g. {"metres": 200} (optional).'), "", width=14),
            TemplateColumn(
                "计分方式", _("How the item is scored."), "pass_fail", choices=SCORING_CHOICES, width=14
            ),
            TemplateColumn("分值", _("Points (default 1)."), 1, width=6),
            TemplateColumn("权重", _("Weight (default 1)."), 1, width=6),
        ],
    )
    return template_xlsx(
        _("Template: point types and checklists"),
        [types, items],
        [
            _(
                "A type is matched by its code and an item by its type and number: importing again updates them."
            )
        ],
    )
