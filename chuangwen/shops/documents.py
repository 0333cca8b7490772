"""Word documents of the frontage: the 门前三包 pledge (责任书, one per shop, numbered) and the
rectification notice (整改通知书). Built with python-docx in the interface language, so they
come out in Chinese; offices print, sign and scan them."""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from chuangwen.shops.models import DUTY_CHECKS, Notice, Shop


def _paragraph(doc: Any, text: str, size: int = 14, bold: bool = False, align: Any = None) -> Any:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _save(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pledge(shop: Shop, office_name: str) -> bytes:
    """The pledge of one shop, with its number, its duties and lines to sign."""
    doc = Document()
    _paragraph(doc, _("Frontage responsibility pledge"), size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        doc, _("No. %(number)s") % {"number": shop.pledge_no or ""}, size=12, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _paragraph(doc, _("Responsible party (shop or unit): %(name)s") % {"name": shop.name})
    _paragraph(doc, _("Address: %(address)s") % {"address": shop.address or "—"})
    _paragraph(
        doc,
        _("Road: %(road)s    Grid: %(grid)s")
        % {
            "road": shop.road.name if shop.road_id else "—",
            "grid": shop.grid.name if shop.grid_id else "—",
        },
    )
    _paragraph(doc, _("Responsible (包保) unit: %(unit)s") % {"unit": shop.unit.name})
    _paragraph(
        doc,
        _(
            "To build a civilized city, the responsible party undertakes the following duties for "
            "the area in front of its door, from its building line to the kerb:"
        ),
    )
    for index, duty in enumerate(shop.duty_list(), start=1):
        from chuangwen.shops.models import Duty

        _paragraph(doc, f"{index}. {Duty(duty).label}: {DUTY_CHECKS[duty]}")
    _paragraph(
        doc,
        _(
            "Where the duties are not kept, the responsible unit will issue a rectification notice; "
            "repeated neglect will be reported and exposed publicly."
        ),
    )
    _paragraph(doc, _("Responsible party (signature and seal):"))
    _paragraph(doc, _("Responsible unit (seal):"))
    _paragraph(doc, _("Date of signing:"))
    _paragraph(doc, office_name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _save(doc)


def notice(item: Notice, office_name: str) -> bytes:
    """The rectification notice to a shop, listing the problems that raised it."""
    from chuangwen.problems.models import Problem

    shop = item.shop
    doc = Document()
    _paragraph(doc, _("Rectification notice"), size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, _("No. %(number)s") % {"number": item.number}, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, _("To: %(name)s") % {"name": shop.name})
    _paragraph(
        doc,
        _("Inspections found the following problems at your frontage (%(reason)s):")
        % {"reason": item.reason},
    )
    problems = (
        Problem.objects.filter(pk__in=item.problem_ids).select_related("category").order_by("reported_at")
    )
    for index, problem in enumerate(problems, start=1):
        when = formats.date_format(timezone.localtime(problem.reported_at), "Y-m-d")
        _paragraph(doc, f"{index}. {when} {problem.category.name}: {problem.description}")
    _paragraph(
        doc,
        _("Rectify them by %(deadline)s and keep your pledge. Continued neglect will be exposed publicly.")
        % {"deadline": formats.date_format(item.deadline, "Y-m-d")},
    )
    _paragraph(doc, shop.unit.name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, office_name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(
        doc, formats.date_format(timezone.localtime(item.issued_at), "Y-m-d"), align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    return _save(doc)
