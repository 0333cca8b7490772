"""chuangwen import_boundaries FILE.geojson [--commit]: grid boundaries from a GIS export."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chuangwen.basemap import services
from chuangwen.core.errors import DomainError


class Command(BaseCommand):
    help = "Import grid boundaries (GeoJSON FeatureCollection, properties.code = grid code, WGS-84)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="store them (default: a dry run)")

    def handle(self, *args, **options) -> None:
        try:
            data = json.loads(Path(options["path"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = services.import_grid_boundaries(data, "import_boundaries", dry_run=not options["commit"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        verb = "updated" if options["commit"] else "would update (dry run; add --commit)"
        self.stdout.write(f"{len(result.updated)} grids {verb}: {', '.join(result.updated)}")
