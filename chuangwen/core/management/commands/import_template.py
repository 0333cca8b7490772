"""`chuangwen import-template KIND FILE`: the blank template of any import, without the web.

The same file each import page offers for download. import-units, import-indicators and
import-tasks also take `--template FILE`.
"""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.core.import_template import write_template_file

# kind → (module, function): imported when asked, since core imports no app at module level.
KINDS: dict[str, tuple[str, str]] = {
    "units": ("chuangwen.org.import_template", "unit_template"),
    "indicators": ("chuangwen.indicators.import_template", "indicator_template"),
    "tasks": ("chuangwen.tasks.import_template", "task_template"),
    "points": ("chuangwen.points.import_template", "point_template"),
    "checklists": ("chuangwen.points.import_template", "checklist_template"),
    "hotline": ("chuangwen.problems.import_template", "hotline_template"),
    "questionnaire": ("chuangwen.surveys.import_template", "xlsform_template"),
    "shops": ("chuangwen.shops.import_template", "shop_template"),
    "volunteers": ("chuangwen.volunteers.import_template", "roster_template"),
}


class Command(BaseCommand):
    help = "Write the blank .xlsx template of an import (columns, an example row, 填写说明) to FILE; see docs/imports/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="which import")
        parser.add_argument("file", help="where to write the .xlsx")

    def handle(self, *args, **options) -> None:
        module, function = KINDS[options["kind"]]
        try:
            data = getattr(importlib.import_module(module), function)()
        except ImportError as exc:  # pragma: no cover - every app ships with the product
            raise CommandError(_("That import is not available: %(error)s") % {"error": exc}) from exc
        self.stdout.write(write_template_file(options["file"], data))
