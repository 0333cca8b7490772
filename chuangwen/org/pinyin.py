"""Pinyin initials of unit names, for the searchable unit pickers ("lw" finds 鹭湾街道).

pypinyin's dictionary lookup is cheap but not free; a district has a few hundred units whose
names rarely change, so each name is computed once per process and kept (lru_cache).
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=20_000)
def initials(name: str) -> str:
    """ "鹭湾街道" → "lwjd"; Latin letters and digits are kept, lower-cased."""
    letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")
    return "".join(part[:1] if part.isalpha() else part for part in letters).lower()


@lru_cache(maxsize=20_000)
def spelled(name: str) -> str:
    """ "鹭湾街道" → "luwanjiedao", so the full syllables work too."""
    return "".join(lazy_pinyin(name or "", errors="default")).lower()
