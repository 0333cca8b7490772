"""The bulletin as a PDF (fpdf2), laid out like the .docx, with a subset of a Chinese font
embedded so it reads the same on any machine (see fonts.py and docs/decisions.md)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from chuangwen.bulletins.blocks import Block
from chuangwen.bulletins.fonts import pdf_font
from chuangwen.bulletins.images import Scaled

RED = (192, 0, 0)
BODY = "cw"
BOLD = "cwb"
LINE = 7.5  # mm per body line
PHOTO_W = 62.0  # mm


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(BODY, size=9)
        self.cell(0, 8, f"— {self.page_no()} —", align="C")


def _next_line(pdf: FPDF) -> dict:
    return {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _table(pdf: FPDF, block: Block) -> None:
    pdf.set_font(BODY, size=9)
    with pdf.table(
        text_align="CENTER",
        line_height=5.5,
        headings_style=FontFace(family=BOLD, emphasis="", fill_color=(242, 242, 242)),
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        for values in [block.headers, *block.rows]:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(2)


def _photos(pdf: FPDF, block: Block, images: dict[int, Scaled]) -> None:
    heights = []
    for _caption, photo_id in block.photos:
        image = images.get(photo_id) if photo_id else None
        heights.append(PHOTO_W * image.height / image.width if image else 10)
    height = max(heights) + 8
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    left = pdf.l_margin + (pdf.epw - PHOTO_W * len(block.photos) - 6 * (len(block.photos) - 1)) / 2
    pdf.set_font(BODY, size=9)
    for column, (caption, photo_id) in enumerate(block.photos):
        x = left + column * (PHOTO_W + 6)
        image = images.get(photo_id) if photo_id else None
        if image is not None:
            pdf.image(io.BytesIO(image.data), x=x, y=top, w=PHOTO_W)
        else:
            pdf.set_xy(x, top)
            pdf.cell(PHOTO_W, 10, _("No photo"), border=1, align="C")
        pdf.set_xy(x, top + heights[column] + 1)
        pdf.cell(PHOTO_W, 5, caption, align="C")
    pdf.set_xy(pdf.l_margin, top + height)


def render(blocks: list[Block], images: dict[int, Scaled]) -> bytes:
    font = pdf_font()
    pdf = _Pdf(format="A4")
    pdf.set_margins(28, 30, 26)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_font(BODY, fname=font.path, collection_font_number=font.index)
    pdf.add_font(
        BOLD,
        fname=font.bold_path or font.path,
        collection_font_number=font.bold_index if font.bold_path else font.index,
    )
    pdf.add_page()
    for block in blocks:
        if block.kind == "redhead":
            pdf.set_font(BOLD, size=34)
            pdf.set_text_color(*RED)
            pdf.cell(0, 18, block.text, align="C", **_next_line(pdf))
            pdf.set_text_color(0, 0, 0)
        elif block.kind == "issue":
            pdf.set_font(BODY, size=14)
            pdf.cell(0, 9, block.text, align="C", **_next_line(pdf))
        elif block.kind == "masthead":
            pdf.set_font(BODY, size=12)
            pdf.cell(pdf.epw / 2, 8, block.text)
            pdf.cell(pdf.epw / 2, 8, block.extra, align="R", **_next_line(pdf))
            pdf.set_draw_color(*RED)
            pdf.set_line_width(0.8)
            pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + pdf.epw, pdf.get_y() + 1)
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.2)
            pdf.ln(6)
        elif block.kind == "title":
            pdf.set_font(BOLD, size=18)
            pdf.multi_cell(0, 10, block.text, align="C", **_next_line(pdf))
            pdf.ln(3)
        elif block.kind == "heading":
            pdf.set_font(BOLD, size=14)
            pdf.multi_cell(0, 9, block.text, **_next_line(pdf))
        elif block.kind == "subheading":
            pdf.set_font(BOLD, size=12.5)
            pdf.multi_cell(0, LINE, block.text, **_next_line(pdf))
        elif block.kind == "point":
            pdf.set_font(BODY, size=12)
            pdf.multi_cell(0, LINE, block.text, **_next_line(pdf))
        elif block.kind == "para":
            pdf.set_font(BODY, size=12)
            pdf.multi_cell(0, LINE, "\u3000\u3000" + block.text, **_next_line(pdf))
        elif block.kind == "table":
            _table(pdf, block)
        elif block.kind == "photos":
            _photos(pdf, block, images)
        elif block.kind == "signature":
            pdf.ln(6)
            pdf.set_font(BODY, size=12)
            for text in (block.text, block.extra):
                pdf.cell(0, LINE, text, align="R", **_next_line(pdf))
        elif block.kind == "footer":
            pdf.set_font(BODY, size=10.5)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
            pdf.multi_cell(0, 7, block.text, **_next_line(pdf))
    return bytes(pdf.output())
