"""The Chinese font embedded in bulletin PDFs.

settings.PDF_FONT (environment PDF_FONT) names a TrueType/OpenType font or collection; when it
is empty the usual places of Debian's and other systems' CJK fonts are searched. fpdf2 embeds a
subset of the glyphs used (CFF outlines as FontFile3, TrueType as FontFile2), so Noto CJK's
.ttc files (CFF) work as they are. In a collection the Simplified Chinese face is chosen.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from chuangwen.core.errors import DomainError

# Searched in order when PDF_FONT is not set: serif first (official documents use 宋体-like
# faces), then sans, then other free CJK fonts Debian and other systems ship.
CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)


class FontMissing(DomainError):
    """No font with Chinese glyphs was found: PDFs cannot be written."""


@dataclass(frozen=True)
class Font:
    path: str
    index: int = 0  # the face inside a .ttc collection
    bold_path: str = ""
    bold_index: int = 0


def _face_index(path: str) -> int:
    """In a collection, the Simplified Chinese face (Noto's "… CJK SC"); else the first."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(path, lazy=True) as collection:
        for index, face in enumerate(collection.fonts):
            name = str(face["name"].getDebugName(4) or "")
            if name.endswith(" SC") or " SC " in name or "GB" in name:
                return index
    return 0


def _bold_sibling(path: str) -> str:
    candidate = path.replace("-Regular", "-Bold")
    return candidate if candidate != path and Path(candidate).is_file() else ""


@functools.lru_cache(maxsize=4)
def _find(configured: str) -> Font:
    if configured:
        if not Path(configured).is_file():
            raise FontMissing(_("PDF_FONT names %(path)s, which does not exist.") % {"path": configured})
        candidates: tuple[str, ...] = (configured,)
    else:
        candidates = tuple(c for c in CANDIDATES if Path(c).is_file())
    if not candidates:
        raise FontMissing(
            _(
                "No Chinese font was found for PDF bulletins. Install fonts-noto-cjk "
                "(apt-get install fonts-noto-cjk) or set PDF_FONT to a .ttf/.otf/.ttc font file."
            )
        )
    path = candidates[0]
    bold = _bold_sibling(path)
    return Font(path, _face_index(path), bold, _face_index(bold) if bold else 0)


def pdf_font() -> Font:
    """The font to embed (FontMissing with a clear message when there is none)."""
    return _find(getattr(settings, "PDF_FONT", "") or "")
