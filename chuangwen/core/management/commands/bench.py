"""`chuangwen bench AREA [--scale F] [--out FILE]`: run a benchmark and print its JSON."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def _areas() -> list[str]:
    import chuangwen.bench as package

    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))


class Command(BaseCommand):
    help = "Run a benchmark (org, tasks, …) and print the results as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("area", help=f"one of: {', '.join(_areas())}")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="fraction of the full-size data set (e.g. 0.1 for a quick run)",
        )
        parser.add_argument("--out", help="also write the JSON to this file")

    def handle(self, *args, **options) -> None:
        area = options["area"]
        if area not in _areas():
            raise CommandError(
                _("There is no benchmark “%(area)s”; choose from %(areas)s.")
                % {"area": area, "areas": ", ".join(_areas())}
            )
        module = importlib.import_module(f"chuangwen.bench.{area}")
        result = module.run(options)
        text = json.dumps(result, ensure_ascii=False, indent=2, default=str)
        if options.get("out"):
            Path(options["out"]).write_text(text)
        self.stdout.write(text)
