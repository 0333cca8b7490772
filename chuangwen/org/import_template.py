"""The template of the unit roster import (单位及人员名册): a sheet of units, a sheet of people."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangwen.core.import_template import TemplateColumn, TemplateSheet, template_xlsx

# The kinds as offices write them; import_columns.parse_kind reads every one of these.
KIND_CHOICES = ("市", "区/县", "街道", "乡镇", "社区", "村", "部门/局", "科室", "学校", "企事业单位", "其他")


def unit_template() -> bytes:
    units = TemplateSheet(
        "单位",
        [
            TemplateColumn(
                "单位编码",
                _("A unique code of the unit; a re-import finds the unit by it."),
                "YX-S01",
                True,
                width=14,
            ),
            TemplateColumn("单位名称", _("The unit's full name."), "桃源街道办事处", True, width=24),
            TemplateColumn("简称", _("The short name used in tables (optional)."), "桃源街道"),
            TemplateColumn("类型", _("The kind of unit."), "街道", choices=KIND_CHOICES),
            TemplateColumn(
                "上级单位",
                _(
                    "Code or name of the unit above it; blank for the top unit (the city, district or county)."
                ),
                "YX",
                width=18,
            ),
            TemplateColumn(
                "别名",
                _("Other names the unit goes by, separated by 、 (optional)."),
                "桃源办、桃源街道办",
                width=20,
            ),
            TemplateColumn("联系人", _("Contact person (optional)."), "陈主任"),
            TemplateColumn("联系电话", _("Contact phone (optional)."), "0571-88886666"),
            TemplateColumn("地址", _("Office address (optional)."), "桃源路 1 号", width=24),
        ],
        rows=[
            ["YX", "云西区", "", "区/县", "", "", "", "", ""],
            [
                "YX-S01",
                "桃源街道办事处",
                "桃源街道",
                "街道",
                "YX",
                "桃源办",
                "陈主任",
                "0571-88886666",
                "桃源路 1 号",
            ],
        ],
    )
    people = TemplateSheet(
        "人员",
        [
            TemplateColumn("姓名", _("The person's name."), "李桃", True),
            TemplateColumn(
                "手机",
                _("Mobile phone; with the name it tells two people of the same name apart."),
                "13811112222",
            ),
            TemplateColumn("职务", _("Position (optional)."), "联络员"),
            TemplateColumn(
                "所属单位",
                _("Code or name of the person's unit (in this file or already recorded)."),
                "YX-S01",
                True,
                width=18,
            ),
        ],
    )
    return template_xlsx(
        _("Template: units and people"),
        [units, people],
        [
            _(
                "A unit's parent may come before or after it in the sheet. Importing the same file again changes nothing."
            )
        ],
    )
