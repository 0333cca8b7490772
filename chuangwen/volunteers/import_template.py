"""The template of the volunteer roster import (the national system's export layout)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangwen.core.import_template import TemplateColumn, TemplateSheet, template_xlsx


def roster_template(unit_example: str = "") -> bytes:
    """`unit_example`: a unit of the user's, so the example row imports as it is."""
    columns = [
        TemplateColumn("姓名", _("The volunteer's name."), "张小青", True, width=10),
        TemplateColumn("性别", _("男 or 女 (optional)."), "女", choices=("男", "女"), width=6),
        TemplateColumn(
            "手机号",
            _("Mobile number; the volunteer signs in at activities with it."),
            "13900001111",
            True,
            width=14,
        ),
        TemplateColumn(
            "志愿者编号",
            _(
                "Number in the national volunteer-service system; a re-import updates the volunteer with this number."
            ),
            "V-0001",
            width=14,
        ),
        TemplateColumn(
            "所属组织",
            _("The unit (community, school, department, company) the volunteer is registered with."),
            unit_example,
            True,
            width=18,
        ),
        TemplateColumn(
            "服务时长", _("Hours recorded in the national system before (optional)."), 12.5, width=9
        ),
        TemplateColumn("身份证号", _("ID number (optional); stored encrypted."), "", width=20),
        TemplateColumn("技能特长", _("Skills (optional)."), "急救", width=12),
        TemplateColumn(
            "所属队伍",
            _("Teams of the unit, separated by 、 (created when missing)."),
            "文明劝导队",
            several=True,
            width=14,
        ),
    ]
    return template_xlsx(_("Template: volunteer roster"), [TemplateSheet("志愿者", columns)])
