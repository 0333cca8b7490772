"""Word documents offices edit: the 督办通知书 and the problem list appended to a bulletin.

Both are docxtpl templates shipped in problems/data/. An office replaces one by putting its own
file of the same name in <CHUANGWEN_DATA>/templates/problems/ (same placeholders).
`build_templates()` regenerates the shipped files with python-docx (they are committed, so the
platform never builds them at run time).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate

DATA = Path(__file__).resolve().parent / "data"
NOTICE = "supervision_notice.docx"
PROBLEM_LIST = "problem_list.docx"


def template_path(name: str) -> Path:
    custom = Path(settings.DATA_DIR) / "templates" / "problems" / name
    return custom if custom.exists() else DATA / name


def render(name: str, context: dict[str, Any]) -> bytes:
    document = DocxTemplate(str(template_path(name)))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph(
    doc: Any, text: str, size: int = 12, bold: bool = False, center: bool = False, style: str | None = None
):
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def build_templates(folder: Path = DATA) -> None:
    """Write the two shipped templates (the text is the office's, so it is Chinese here)."""
    doc = Document()
    _paragraph(doc, "督办通知书", size=22, bold=True, center=True)
    _paragraph(doc, "{{ number }}", center=True)
    _paragraph(doc, "{{ unit_name }}：", size=14)
    _paragraph(
        doc,
        "经督查，你单位承办的第{{ problem_id }}号问题（{{ category }}，地点：{{ address }}）"
        "整改时限为{{ deadline }}，截至{{ issued_at }}仍未整改到位，已超期{{ overdue }}。",
        size=14,
    )
    _paragraph(doc, "问题描述：{{ description }}", size=14)
    _paragraph(
        doc,
        "请接此通知后立即组织整改，并于{{ reply_by }}前将整改情况（附整改前后对比照片）反馈至{{ office_name }}。"
        "逾期仍未整改的，将按规定予以通报、亮牌直至约谈问责。",
        size=14,
    )
    _paragraph(doc, "{{ office_name }}", size=14).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(doc, "{{ issued_date }}", size=14).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(folder / NOTICE)

    doc = Document()
    _paragraph(doc, "{{ title }}", size=18, bold=True, center=True)
    _paragraph(doc, "{{ subtitle }}", center=True)
    doc.add_paragraph("{%p for street in streets %}")
    _paragraph(doc, "{{ street.number }}、{{ street.name }}（{{ street.count }}个问题）", size=15, bold=True)
    doc.add_paragraph("{%p for type in street.types %}")
    _paragraph(doc, "（{{ type.number }}）{{ type.name }}", size=14, bold=True)
    doc.add_paragraph("{%p for point in type.points %}")
    _paragraph(doc, "{{ point.name }}", size=13, bold=True)
    doc.add_paragraph("{%p for p in point.problems %}")
    _paragraph(
        doc,
        "{{ p.number }}. {{ p.description }}（{{ p.category }}；责任单位：{{ p.unit }}；"
        "整改时限：{{ p.deadline }}；状态：{{ p.status }}）",
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(folder / PROBLEM_LIST)
