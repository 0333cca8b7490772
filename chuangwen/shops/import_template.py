"""The template of the shop import (沿街商户)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangwen.core.import_template import TemplateColumn, TemplateSheet, template_xlsx
from chuangwen.shops.models import Category

DATUM_CHOICES = ("WGS-84", "GCJ-02", "BD-09")
YES_CHOICES = ("是", "否")


def category_names() -> tuple[str, ...]:
    """The Chinese names of the categories as the template offers them (the part in brackets of
    the 六小行业, or the whole label)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return tuple(str(label) for _value, label in Category.choices)


def shop_template(grid_example: str = "", road_example: str = "") -> bytes:
    """`grid_example`: a grid code of the user's, so the example row imports as it is."""
    names = category_names()
    columns = [
        TemplateColumn(
            "商户名称", _("The shop's or unit's name (the signboard)."), "好味小吃店", True, width=20
        ),
        TemplateColumn(
            "类别", _("The category; the six small trades first."), names[0], True, choices=names, width=18
        ),
        TemplateColumn("地址", _("Address (optional)."), "桃源路8号", width=20),
        TemplateColumn("经度", _("Longitude, decimal degrees (optional)."), 120.1551, width=11),
        TemplateColumn("纬度", _("Latitude, decimal degrees (optional)."), 30.2741, width=11),
        TemplateColumn(
            "坐标系", _("Coordinate system of the longitude and latitude."), "GCJ-02", choices=DATUM_CHOICES
        ),
        TemplateColumn("网格", _("Grid code; the grid's unit answers for the shop."), grid_example, True),
        TemplateColumn("道路", _("The road the shop fronts (optional)."), road_example),
        TemplateColumn("营业执照号", _("Business licence number (optional)."), ""),
        TemplateColumn(
            "营业执照已查验", _("是 when the licence was seen."), "是", choices=YES_CHOICES, width=9
        ),
        TemplateColumn("营业执照有效期", _("The licence's expiry date (optional)."), "2028-12-31", width=12),
        TemplateColumn(
            "食品经营许可已查验", _("是 when the food licence was seen."), "否", choices=YES_CHOICES, width=9
        ),
        TemplateColumn("食品经营许可有效期", _("The food licence's expiry date (optional)."), "", width=12),
        TemplateColumn("联系人", _("Contact person (optional)."), "王某"),
        TemplateColumn("联系电话", _("Contact phone (optional)."), "13800001234", width=13),
    ]
    return template_xlsx(_("Template: street-front shops"), [TemplateSheet("沿街商户", columns)])
