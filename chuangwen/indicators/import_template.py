"""The template of the evaluation-system import (测评体系): indicators, and the negative list."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangwen.core.import_template import TemplateColumn, TemplateSheet, template_xlsx

# How the methods are written; indicators.parsing.parse_methods reads each (and lists of them).
METHOD_CHOICES = ("材料审核", "网上申报", "实地考察", "问卷调查")


def indicator_template() -> bytes:
    indicators = TemplateSheet(
        "测评体系",
        [
            TemplateColumn(
                "一级指标编号",
                _("Code of the level Ⅰ item (测评项目), e.g. Ⅰ-1 (optional)."),
                "Ⅰ-3",
                width=12,
            ),
            TemplateColumn(
                "测评项目",
                _("Level Ⅰ item: the aspect of the evaluation system."),
                "文明风尚培育",
                True,
                width=18,
            ),
            TemplateColumn("二级指标编号", _("Code of the level Ⅱ item (optional)."), "Ⅱ-8", width=12),
            TemplateColumn("测评内容", _("Level Ⅱ item: the content assessed."), "志愿服务", True, width=18),
            TemplateColumn("三级指标编号", _("Code of the level Ⅲ item (optional)."), "Ⅲ-20", width=12),
            TemplateColumn(
                "三级指标",
                _("Level Ⅲ item: a short name of the standard (optional)."),
                "志愿服务站点建设",
                width=20,
            ),
            TemplateColumn(
                "测评方式",
                _("How the item is assessed; several methods are separated by 、."),
                "材料审核、实地考察",
                choices=METHOD_CHOICES,
                several=True,
            ),
            TemplateColumn(
                "测评标准",
                _("The standard's full text, with grade bands (A/B/C) when the item has them."),
                "社区志愿服务站有人员、有设施、有服务项目（≥3 项）。A：全部达到；B：基本达到；C：未达到。",
                width=50,
            ),
            TemplateColumn("分值", _("Points of the item (optional)."), 2, width=8),
        ],
    )
    negative = TemplateSheet(
        "负面清单",
        [
            TemplateColumn("负面清单事项", _("A negative-list item."), "弄虚作假", True, width=20),
            TemplateColumn(
                "具体情形", _("What counts as this item (optional)."), "测评材料造假、组织虚假问卷", width=40
            ),
            TemplateColumn(
                "处理方式", _("The deduction or sanction, e.g. 扣 5 分 or 取消资格."), "扣 5 分", True
            ),
        ],
    )
    return template_xlsx(
        _("Template: evaluation system"),
        [indicators, negative],
        [
            _(
                "One row per level Ⅲ standard; level Ⅰ and Ⅱ names may repeat or be merged cells. The negative list is optional."
            )
        ],
    )
