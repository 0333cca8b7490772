"""What a reader of a page sees: its text and the attributes a browser shows, minus markup.

Used by the test that walks every page in Chinese and refuses visible English words
(`test_chinese_interface.py`). Kept apart so a check of another page (an export, a bulletin)
can use the same rules.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content a reader never sees.
INVISIBLE = {"script", "style", "template"}
# Machine text shown as it is (a key to type, a command, a file's column names): <code>, <kbd>,
# <samp> mark it, so an interface may show a code without the check flagging it.
LITERAL = {"code", "kbd", "samp"}
# Attributes a browser shows (tooltips, placeholders, screen readers, image stand-ins).
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "data-confirm", "data-label"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# Latin words allowed in the Chinese interface: units, standards and codes a Chinese reader
# writes in Latin letters too, file formats, and product names that have no Chinese name.
ALLOWED_WORDS = {
    # units
    "km", "m", "kg", "mb", "kb", "gb", "px", "cm", "mm", "h", "min", "ms", "s",
    # standards, codes and abbreviations used as they are in Chinese text
    "t", "gps", "wgs", "gcj", "bd", "cgcs", "id", "api", "url", "http", "https", "sms",
    "app", "pdf", "xlsx", "xls", "docx", "doc", "csv", "zip", "jpg", "jpeg", "png", "heic",
    "webp", "json", "geojson", "excel", "wps", "qr", "ip", "word", "office", "xlsform", "ocr",
}  # fmt: skip

WORD = re.compile(r"[A-Za-z]{2,}")
# Text that is data, not interface: addresses on the web, e-mail, file names, identifiers.
NOT_INTERFACE = [
    re.compile(r"https?://\S+"),
    re.compile(r"\S*/[\w.~-]+/\S*"),  # a path shown to copy (a QR sign-in link), even when wrapped
    re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    re.compile(r"\b[\w-]+\.(?:xlsx|xls|docx|pdf|jpg|jpeg|png|csv|zip|json|geojson)\b", re.I),
    re.compile(r"\b[A-Z]{1,4}-[A-Z0-9-]+\b"),  # unit and point codes such as S-A-1, D1-OFF
    re.compile(r"\bGB/T\s*\d+(?:\.\d+)?(?:-\d+)?"),
    re.compile(r"\b[A-Za-z]+\d+[A-Za-z0-9]*\b"),  # a code mixing letters and digits: Open311, T02
    re.compile(r"\{[^{}]*[\"'][^{}]*:[^{}]*\}"),  # a JSON example in a help text: {"walk_m": 200}
]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in INVISIBLE | LITERAL and tag not in VOID:
            self._skip.append(tag)
            return
        if self._skip:
            return
        for name in SHOWN_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name] or "")
        if tag == "input" and (attributes.get("type") or "") in {"submit", "button", "reset"}:
            self.parts.append(attributes.get("value") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INVISIBLE:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def latin_words(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """Latin words in `text` that are neither allowed nor part of user data given in `data`."""
    for value in sorted(data, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    for pattern in NOT_INTERFACE:
        text = pattern.sub(" ", text)
    return [word for word in WORD.findall(text) if word.lower() not in ALLOWED_WORDS]
