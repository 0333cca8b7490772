"""The PDF: a Chinese font subset embedded, and the Chinese text present (via ToUnicode)."""

from __future__ import annotations

import contextlib
import re
import zlib

import pytest

from chuangwen.bulletins import fonts
from chuangwen.bulletins.tests.factories import generated, sample_problems

pytestmark = pytest.mark.django_db


def _unicode_maps(pdf: bytes) -> str:
    """The text of every ToUnicode CMap in the PDF (the map from glyphs back to characters)."""
    text = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        data = match.group(1)
        # fpdf2 writes some streams uncompressed (ToUnicode among them).
        with contextlib.suppress(zlib.error):
            data = zlib.decompress(data)
        if b"beginbfchar" in data or b"beginbfrange" in data:
            text.append(data.decode("latin-1"))
    return "\n".join(text)


def _has_char(maps: str, char: str) -> bool:
    return f"<{ord(char):04X}>" in maps


def test_the_pdf_embeds_a_chinese_font_subset_with_the_glyphs_used(
    world, chinese, django_capture_on_commit_callbacks
):
    sample_problems(world)
    bulletin = generated(world, django_capture_on_commit_callbacks)
    pdf = bulletin.pdf.read()
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile3" in pdf or b"/FontFile2" in pdf
    maps = _unicode_maps(pdf)
    for char in "松林街道柳岸农贸市场小区垃圾堆积":
        assert _has_char(maps, char), char


def test_it_says_clearly_when_no_chinese_font_is_installed(settings, monkeypatch):
    fonts._find.cache_clear()
    settings.PDF_FONT = ""
    monkeypatch.setattr(fonts, "CANDIDATES", ("/nonexistent/a.ttc",))
    with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
        fonts.pdf_font()
    fonts._find.cache_clear()


def test_it_picks_the_simplified_chinese_face_of_a_collection():
    fonts._find.cache_clear()
    font = fonts.pdf_font()
    if font.path.endswith("NotoSerifCJK-Regular.ttc"):
        assert font.index == 2  # JP, KR, SC, TC, HK
