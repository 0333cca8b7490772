"""The bulletin as a Word document in the layout of official documents (GB/T 9704 margins, a
red masthead and rule, 仿宋 body, 黑体/楷体 headings, the 版记 lines at the end). Offices keep
and edit 通报 in Word, so this is the primary output; python-docx writes it directly."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from chuangwen.bulletins.blocks import Block
from chuangwen.bulletins.images import Scaled

RED = RGBColor(0xC0, 0x00, 0x00)
# The fonts of Chinese official documents; Word substitutes when a machine lacks one.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PHOTO_WIDTH = Cm(6.5)


def _east_asian(run, name: str) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _run(
    paragraph, text: str, size: float, font: str = "", bold: bool = False, color: RGBColor | None = None
):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if font:
        _east_asian(run, font)
    if color is not None:
        run.font.color.rgb = color
    return run


def _rule(paragraph, color: str = "C00000", size: int = 18, where: str = "bottom") -> None:
    """A horizontal line under (or over) the paragraph: the red rule of the masthead."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{where}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)
    p_pr.append(borders)


def _setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.size = Pt(14)
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(26)


def _table(document, block: Block) -> None:
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = table.rows
    for row_index, values in enumerate([block.headers, *block.rows]):
        for cell, value in zip(rows[row_index].cells, values, strict=False):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing = Pt(16)
            _run(paragraph, value, 10.5, HEADING_FONT if row_index == 0 else "")


def _photos(document, block: Block, images: dict[int, Scaled]) -> None:
    table = document.add_table(rows=2, cols=len(block.photos))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, (caption, photo_id) in enumerate(block.photos):
        picture_cell, caption_cell = table.rows[0].cells[column], table.rows[1].cells[column]
        paragraph = picture_cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing = 1.0
        image = images.get(photo_id) if photo_id else None
        if image is not None:
            paragraph.add_run().add_picture(io.BytesIO(image.data), width=PHOTO_WIDTH)
        else:
            _run(paragraph, _("No photo"), 10.5)
        caption_paragraph = caption_cell.paragraphs[0]
        caption_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(caption_paragraph, caption, 10.5, SUBHEADING_FONT)


def render(blocks: list[Block], images: dict[int, Scaled]) -> bytes:
    document = Document()
    _setup(document)
    add = document.add_paragraph
    for block in blocks:
        if block.kind == "redhead":
            p = add()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.line_spacing = 1.0
            _run(p, block.text, 42, TITLE_FONT, bold=True, color=RED)
        elif block.kind == "issue":
            p = add()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, block.text, 16)
        elif block.kind == "masthead":
            p = add()
            p.paragraph_format.tab_stops.add_tab_stop(Cm(15.6), alignment=2)  # right-aligned tab
            _run(p, f"{block.text}\t{block.extra}", 14)
            _rule(p)
        elif block.kind == "title":
            p = add()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before = Pt(18)
            p.paragraph_format.space_after = Pt(12)
            p.paragraph_format.line_spacing = Pt(32)
            _run(p, block.text, 22, TITLE_FONT)
        elif block.kind == "heading":
            _run(add(), block.text, 16, HEADING_FONT)
        elif block.kind == "subheading":
            _run(add(), block.text, 15, SUBHEADING_FONT, bold=True)
        elif block.kind == "point":
            _run(add(), block.text, 14, SUBHEADING_FONT)
        elif block.kind == "para":
            p = add()
            p.paragraph_format.first_line_indent = Pt(28)
            _run(p, block.text, 14)
        elif block.kind == "table":
            _table(document, block)
        elif block.kind == "photos":
            _photos(document, block, images)
        elif block.kind == "signature":
            for text in (block.text, block.extra):
                p = add()
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _run(p, text, 14)
        elif block.kind == "footer":
            p = add()
            p.paragraph_format.line_spacing = Pt(22)
            _run(p, block.text, 12)
            _rule(p, color="000000", size=6)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
