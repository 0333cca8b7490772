"""The campaign's territory as the refresh sees it: which street each unit lies in.

Every figure is gathered once per unit (one GROUP BY unit_id per widget) and then added into
the slices the unit belongs to: the whole campaign (key None) and its street or township.
Doing the slicing here, in Python over a few thousand units, is what keeps a refresh to one
pass over each big table however many streets there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chuangwen.campaigns.models import Campaign
from chuangwen.org.models import Unit, UnitKind

STREET_KINDS = (UnitKind.STREET, UnitKind.TOWNSHIP)
WHOLE = None  # the key of the whole-campaign slice


def path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


@dataclass
class Territory:
    """Units inside the campaign's root, their names and the street each one lies in."""

    root_id: int
    names: dict[int, str] = field(default_factory=dict)
    street_of: dict[int, int | None] = field(default_factory=dict)
    streets: dict[int, str] = field(default_factory=dict)  # street id -> name, in tree order

    @classmethod
    def of(cls, campaign: Campaign) -> Territory:
        root = campaign.root_unit
        rows = list(
            Unit.objects.filter(path__startswith=root.path)
            .order_by("path")
            .values_list("pk", "name", "path", "kind", "is_active")
        )
        territory = cls(root_id=root.pk)
        street_ids = {pk for pk, _n, _p, kind, active in rows if kind in STREET_KINDS and active}
        for pk, name, path, _kind, _active in rows:
            territory.names[pk] = name
            territory.street_of[pk] = next((i for i in path_ids(path) if i in street_ids), None)
            if pk in street_ids:
                territory.streets[pk] = name
        return territory

    def slice_keys(self) -> list[int | None]:
        """Every slice: the whole campaign first, then the streets."""
        return [WHOLE, *self.streets]

    def slices_of(self, unit_id: int | None) -> tuple[int | None, ...]:
        """The slices a row of this responsible unit counts in: none when the unit lies outside
        the territory; only the whole campaign for the office's queue (no unit) and for units
        above or beside the streets (departments)."""
        if unit_id is None:
            return (WHOLE,)
        if unit_id not in self.street_of:
            return ()
        street = self.street_of[unit_id]
        return (WHOLE,) if street is None else (WHOLE, street)

    def name(self, unit_id: int | None) -> str:
        return self.names.get(unit_id, "") if unit_id is not None else ""
