"""`chuangwen import-indicators FILE.xlsx [--commit] [--json] [--system ID | --name N ...]`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.campaigns.models import Campaign
from chuangwen.core.excel import SpreadsheetError
from chuangwen.core.import_template import TEMPLATE_HELP, write_template_file
from chuangwen.indicators import services
from chuangwen.indicators.importing import read_indicator_table
from chuangwen.indicators.models import EvaluationSystem, SystemLevel


class Command(BaseCommand):
    help = "Import an evaluation system (测评体系) from .xlsx. A dry run unless --commit."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="the .xlsx file")
        parser.add_argument("--template", metavar="FILE", help=TEMPLATE_HELP + "indicators.md")
        parser.add_argument("--commit", action="store_true", help="write (otherwise only check and preview)")
        parser.add_argument("--json", action="store_true", help="print a machine-readable summary")
        parser.add_argument("--system", type=int, help="import into this existing system (id)")
        parser.add_argument("--name", default="", help="name of a new system")
        parser.add_argument("--edition", default="", help="edition of a new system, e.g. 2023年版")
        parser.add_argument("--level", default=SystemLevel.PREFECTURE, choices=SystemLevel.values)
        parser.add_argument(
            "--campaign", type=int, help="campaign of a new system (default: the current one)"
        )

    def handle(self, *args, **options) -> None:
        if options["template"]:
            from chuangwen.indicators.import_template import indicator_template

            self.stdout.write(write_template_file(options["template"], indicator_template()))
            return
        if not options["file"]:
            raise CommandError(_("Give the .xlsx file to import, or --template FILE for a blank template."))
        try:
            table = read_indicator_table(options["file"])
        except (SpreadsheetError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        summary = table.summary()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            labels = {
                "level1": _("level Ⅰ items"),
                "level2": _("level Ⅱ items"),
                "level3": _("level Ⅲ items"),
                "negative_items": _("negative-list items"),
            }
            for key, value in table.counts().items():
                label = labels.get(key) or _("method %(method)s") % {"method": key.removeprefix("method_")}
                self.stdout.write(f"{label}: {value}")
            for problem in table.errors:
                self.stdout.write(_("ERROR %(problem)s") % {"problem": problem})
        if not table.ok:
            raise CommandError(_("%(count)d error(s); nothing was written.") % {"count": len(table.errors)})
        if not options["commit"]:
            if not options["json"]:
                self.stdout.write(_("dry run: nothing written (add --commit to write)"))
            return
        if options["system"]:
            system = EvaluationSystem.objects.filter(pk=options["system"]).first()
            if system is None:
                raise CommandError(_("There is no evaluation system %(id)s.") % {"id": options["system"]})
        else:
            if not options["name"]:
                raise CommandError(_("Give --system ID, or --name for a new evaluation system."))
            campaign = (
                Campaign.objects.filter(pk=options["campaign"]).first()
                if options["campaign"]
                else Campaign.objects.current()
            )
            system = services.system_for_import(
                None, options["name"], options["edition"], options["level"], campaign
            )
        result = services.import_indicators(table, system, "cli")
        if not options["json"]:
            self.stdout.write(
                _(
                    "committed into evaluation system %(id)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged"
                )
                % {
                    "id": system.pk,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
