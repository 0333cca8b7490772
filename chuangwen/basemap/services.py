"""Importing grid boundaries from a GeoJSON FeatureCollection (the office's GIS export)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.basemap import geojson
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Grid


@dataclass
class BoundaryImport:
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def check_boundaries(data: Any) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Map grid code -> geometry from a FeatureCollection whose features carry `properties.code`
    (the grid's code); every problem found, numbered by feature (from 1)."""
    errors: list[str] = []
    found: dict[str, dict[str, Any]] = {}
    if not (isinstance(data, dict) and data.get("type") == "FeatureCollection"):
        return found, [_("The file is not a GeoJSON FeatureCollection.")]
    codes = set(Grid.objects.values_list("code", flat=True))
    for number, feature in enumerate(data.get("features") or [], start=1):
        properties = (feature or {}).get("properties") or {}
        code = str(properties.get("code") or "").strip()
        if not code:
            errors.append(_("Feature %(n)d: no grid code in properties.code.") % {"n": number})
            continue
        if code not in codes:
            errors.append(_("Feature %(n)d: no grid has the code %(code)s.") % {"n": number, "code": code})
            continue
        try:
            found[code] = geojson.validate_polygon((feature or {}).get("geometry"))
        except ValueError as exc:
            errors.append(
                _("Feature %(n)d (%(code)s): %(error)s") % {"n": number, "code": code, "error": exc}
            )
    return found, errors


def import_grid_boundaries(data: Any, actor: Any, *, dry_run: bool = False) -> BoundaryImport:
    """Store each feature's polygon on the grid with its code; nothing is stored if any feature
    is wrong (the whole file is refused with every error listed)."""
    found, errors = check_boundaries(data)
    result = BoundaryImport(errors=errors)
    if errors:
        raise DomainError("\n".join(errors))
    if dry_run:
        result.updated = sorted(found)
        return result
    with transaction.atomic():
        for grid in Grid.objects.select_for_update().filter(code__in=found).order_by("code"):
            grid.polygon = found[grid.code]
            grid.save(update_fields=["polygon"])
            log_action(actor, "grid.boundary_imported", grid, changes={"code": grid.code})
            result.updated.append(grid.code)
    return result
