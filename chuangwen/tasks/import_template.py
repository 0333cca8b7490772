"""The template of the task import (任务分解表), in the columns the task export writes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangwen.core.import_template import TemplateColumn, TemplateSheet, template_xlsx
from chuangwen.tasks.importing import METHOD_WORDS


def task_template(lead_example: str = "区文明办", responsible_example: str = "各街道") -> bytes:
    """`lead_example`, `responsible_example`: units of the campaign, so the example row imports."""
    columns = [
        TemplateColumn("序号", _("Row number (optional)."), 1, width=6),
        TemplateColumn("测评项目", _("Level Ⅰ item of the evaluation system."), "文明风尚培育", width=16),
        TemplateColumn("测评内容", _("Level Ⅱ item."), "志愿服务", width=16),
        TemplateColumn(
            "测评标准",
            _(
                "Level Ⅲ standard; at least one of the three indicator columns is required (matched by code or text)."
            ),
            "社区志愿服务站有人员、有设施、有服务项目",
            True,
            width=30,
        ),
        TemplateColumn(
            "测评方式",
            _("How the work is assessed; several are separated by 、."),
            "材料审核",
            choices=tuple(METHOD_WORDS.values()),
            several=True,
        ),
        TemplateColumn("任务", _("The task as the units will see it."), "每季度开展志愿服务活动", width=24),
        TemplateColumn(
            "工作要求",
            _("What the task requires (optional)."),
            "每季度至少 1 次，参与人数不少于 10 人",
            width=24,
        ),
        TemplateColumn("牵头单位", _("Lead unit; at least one unit column is required."), lead_example, True),
        TemplateColumn(
            "责任单位",
            _("Responsible units, separated by 、; 各街道 / 各社区 stand for every unit of that kind."),
            responsible_example,
        ),
        TemplateColumn("配合单位", _("Cooperating units (optional)."), ""),
        TemplateColumn("责任领导", _("Responsible leader (optional)."), ""),
        TemplateColumn("责任人", _("Responsible people (optional)."), ""),
        TemplateColumn("完成时限", _("A date (2025年6月30日, 6月底) or a cadence (每季度, 每月)."), "每季度"),
        TemplateColumn("具体安排", _("Monthly arrangements, e.g. 4月：…；5月：… (optional)."), "", width=24),
        TemplateColumn(
            "材料审核具体要求", _("What the materials must show (optional)."), "实景图片不少于 2 张", width=24
        ),
    ]
    return template_xlsx(
        _("Template: task table"),
        [TemplateSheet("任务分解表", columns)],
        [
            _(
                "Units are matched by full name, short name or a recorded alias inside the campaign's territory."
            ),
            _(
                "Title rows above the header and merged indicator cells are fine, as in the tables offices already keep."
            ),
        ],
    )
