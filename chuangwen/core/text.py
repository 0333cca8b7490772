"""Text normalisation for names and cells as they come out of real spreadsheets."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Circled numbers ①..⑳ that offices put in front of list items.
_CIRCLED = {chr(0x2460 + i): str(i + 1) for i in range(20)}


# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space only. Not NFKC: that would also
# turn Ⅲ into III, ① into 1 and ㎡ into m2, which indicator codes and counting rules rely on.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces become their half-width forms."""
    return text.translate(_HALFWIDTH)


def clean_cell(value: object) -> str:
    """A cell as text: half-width, single spaces, trimmed; None becomes ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = to_halfwidth(str(value))
    return _SPACE.sub(" ", text).strip()


def keep_text(value: object) -> str:
    """A cell of free text (a task, a requirement) as the office wrote it: single spaces and
    trimmed, but full-width punctuation (、，；：) kept; only keys and names are half-width."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACE.sub(" ", str(value)).strip()


def normalize_name(text: str | None) -> str:
    """A key for matching names written different ways: half-width, no spaces or punctuation."""
    if not text:
        return ""
    text = to_halfwidth(text).lower()
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch).startswith("P")))


def uncircle(text: str) -> str:
    return "".join(_CIRCLED.get(ch, ch) for ch in text)


_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


def normalize_phone(text: str) -> str | None:
    """A mainland mobile or landline number without spaces, or None when it is not one."""
    raw = re.sub(r"[\s()（）]", "", to_halfwidth(text or ""))
    raw = raw.removeprefix("+86").removeprefix("86") if len(raw) > 11 else raw
    return raw if _PHONE.match(raw) else None


def mask_phone(phone: str) -> str:
    """138****5678: what everyone but the office sees."""
    if len(phone) >= 7:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * len(phone)


def mask_contact(value: str) -> str:
    """w***@example.org, ab****yz: an email or device id as everyone but the office sees it."""
    if not value:
        return ""
    if "@" in value:
        name, _sep, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    return value[:2] + "****" + value[-2:] if len(value) > 6 else "****"


# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; the surrogate
# block; U+FFFE/U+FFFF). One of them in one description makes a whole XML answer unreadable for
# every client, so they are dropped from text on the way in and again on the way out.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot carry (NUL, vertical tab, …)."""
    return _XML_FORBIDDEN.sub("", text) if text else text
