"""Resolving unit names from task tables to units of the campaign's territory."""

from __future__ import annotations

import difflib
import re

from chuangwen.core.text import normalize_name
from chuangwen.org.models import Unit, UnitAlias, UnitKind

# "各街道", "各乡镇（街道）", "各村居": every active unit of these kinds inside the territory.
GROUP_KINDS: dict[str, tuple[str, ...]] = {
    "街道": (UnitKind.STREET,),
    "街道办事处": (UnitKind.STREET,),
    "乡镇": (UnitKind.TOWNSHIP,),
    "镇": (UnitKind.TOWNSHIP,),
    "乡镇街道": (UnitKind.TOWNSHIP, UnitKind.STREET),
    "镇街道": (UnitKind.TOWNSHIP, UnitKind.STREET),
    "镇街": (UnitKind.TOWNSHIP, UnitKind.STREET),
    "社区": (UnitKind.COMMUNITY,),
    "村": (UnitKind.VILLAGE,),
    "行政村": (UnitKind.VILLAGE,),
    "村居": (UnitKind.VILLAGE, UnitKind.COMMUNITY),
    "村社区": (UnitKind.VILLAGE, UnitKind.COMMUNITY),
    "学校": (UnitKind.SCHOOL,),
}
_GROUP = re.compile(r"^(?:各|全部|所有|全区|全市)(.+?)(?:\(.*\))?$")


class UnitResolver:
    """Name → units, cached per name for one import; suggestions for names it cannot place."""

    def __init__(self, root: Unit) -> None:
        self.root = root
        self._cache: dict[str, list[Unit] | None] = {}
        self._names: list[str] | None = None

    def resolve(self, name: str) -> list[Unit] | None:
        """The units a name stands for (several for a group such as 各街道), or None."""
        key = normalize_name(name)
        if key not in self._cache:
            self._cache[key] = self._lookup(name, key)
        return self._cache[key]

    def forget(self, name: str) -> None:
        self._cache.pop(normalize_name(name), None)

    def _lookup(self, name: str, key: str) -> list[Unit] | None:
        unit = Unit.objects.under(self.root).filter(is_active=True).find_by_name(name)
        if unit is not None and unit.is_within(self.root):
            return [unit]
        group = _GROUP.match(key)
        if group:
            kinds = GROUP_KINDS.get(group.group(1))
            if kinds:
                units = list(
                    Unit.objects.under(self.root).filter(kind__in=kinds, is_active=True).order_by("path")
                )
                return units or None
        return None

    def outside(self, name: str) -> Unit | None:
        """A unit of that name that exists but lies outside the campaign's territory.

        Offered as "unknown" with look-alike suggestions, such a name sent offices to alias it
        to a different unit; what is wrong is where the unit sits in the tree.
        """
        unit = Unit.objects.filter(is_active=True).find_by_name(name)
        return unit if unit is not None and not unit.is_within(self.root) else None

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        if self._names is None:
            units = Unit.objects.under(self.root).filter(is_active=True)
            names = set(units.values_list("name", flat=True))
            names |= {s for s in units.values_list("short_name", flat=True) if s}
            names |= set(UnitAlias.objects.filter(unit__in=units).values_list("alias", flat=True))
            self._names = sorted(names)
        return difflib.get_close_matches(name, self._names, n=n, cutoff=0.4)
