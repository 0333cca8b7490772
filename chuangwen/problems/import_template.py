"""The template of the 12345 hotline work-order import."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangwen.core.import_template import TemplateColumn, TemplateSheet, template_xlsx
from chuangwen.problems.models import ProblemCategory


def hotline_template(unit_example: str = "") -> bytes:
    # The minor categories (those with a parent): the import matches a cell against them first.
    categories = tuple(
        dict.fromkeys(
            ProblemCategory.objects.filter(is_active=True, parent__isnull=False)
            .order_by("sort_order", "id")
            .values_list("name", flat=True)
        )
    )
    columns = [
        TemplateColumn(
            "工单编号",
            _("The hotline's work-order number; a work order is imported once."),
            "GD20250601001",
            True,
        ),
        TemplateColumn(
            "来电时间", _("When the call came in, e.g. 2025-06-01 09:30."), "2025-06-01 09:30", width=18
        ),
        TemplateColumn(
            "诉求内容", _("What the caller reported."), "小区门口垃圾桶满溢无人清理", True, width=36
        ),
        TemplateColumn("事发地址", _("Where (optional)."), "桃源路 12 号", width=20),
        TemplateColumn(
            "问题分类",
            _("The problem category; a blank or unknown one takes the default category chosen on the page."),
            categories[0] if categories else "",
            choices=categories,
            width=18,
        ),
        TemplateColumn(
            "承办单位",
            _("The unit to handle it (optional: routing picks one otherwise)."),
            unit_example,
            width=18,
        ),
        TemplateColumn(
            "办结时限", _("Deadline (optional: the category's time limit otherwise)."), "", width=18
        ),
        TemplateColumn("来电人", _("Caller's name (optional)."), ""),
        TemplateColumn("联系电话", _("Caller's phone (optional)."), ""),
    ]
    return template_xlsx(_("Template: 12345 work orders"), [TemplateSheet("12345工单", columns)])
