"""The volunteer's service certificate (志愿服务证明) as a one-page PDF, with the Chinese font
the bulletins embed (bulletins.fonts: PDF_FONT or the system's Noto CJK)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from chuangwen.bulletins.fonts import pdf_font
from chuangwen.volunteers.figures import volunteer_hours
from chuangwen.volunteers.models import Volunteer

FONT = "cjk"


def certificate_pdf(volunteer: Volunteer) -> bytes:
    """Name, organisation, volunteer number, cumulative hours, star level, date of issue."""
    hours = volunteer_hours(volunteer)
    font = pdf_font()
    pdf = FPDF(format="A4", orientation="landscape")
    pdf.set_margins(30, 30, 30)
    pdf.add_font(FONT, fname=font.path, collection_font_number=font.index)
    pdf.add_page()
    pdf.set_draw_color(190, 30, 45)
    pdf.set_line_width(1.5)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
    pdf.set_text_color(190, 30, 45)
    pdf.set_font(FONT, size=30)
    pdf.ln(12)
    pdf.cell(0, 16, _("Volunteer service certificate"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=15)
    pdf.ln(10)
    text = _(
        "%(name)s (volunteer number %(code)s), a registered volunteer of %(unit)s, has served "
        "%(hours)s hours in %(count)d confirmed service activities recorded on this platform "
        "(hours recorded before included)."
    ) % {
        "name": volunteer.name,
        "code": volunteer.code or "—",
        "unit": volunteer.unit.name,
        "hours": f"{hours.total:.1f}",
        "count": hours.activities,
    }
    pdf.multi_cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    stars = _("Star level: %(stars)s (%(n)d stars)") % {"stars": "★" * hours.stars or "—", "n": hours.stars}
    pdf.cell(0, 10, stars, new_x="LMARGIN", new_y="NEXT")
    for year, value in hours.by_year[:5]:
        pdf.cell(
            0,
            9,
            _("%(year)d: %(hours)s hours") % {"year": year, "hours": f"{value:.1f}"},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(8)
    pdf.cell(0, 10, volunteer.unit.name, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, timezone.localdate().strftime("%Y-%m-%d"), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
