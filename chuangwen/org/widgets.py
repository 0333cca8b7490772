"""A unit drop-down shown as the tree it is (indented by level, in path order) and searchable by
name or pinyin initials: static/js/site.js adds a filter box to any select[data-cw-search]."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwen.org.pinyin import initials, spelled


class UnitTreeSelect(forms.Select):
    """Options carry data-search (name, initials, full pinyin); labels are indented by depth."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {
            "data-cw-search": "1",
            "data-cw-search-placeholder": _("Type a name or pinyin initials"),
            **(attrs or {}),
        }
        super().__init__(attrs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[override]
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        unit = getattr(value, "instance", None)
        if unit is not None:
            depth = max(int(getattr(unit, "depth", 0) or 0) - 1, 0)
            option["label"] = "\u3000" * depth + str(label)
            option["attrs"]["data-search"] = f"{unit.name} {initials(unit.name)} {spelled(unit.name)}".lower()
        return option
