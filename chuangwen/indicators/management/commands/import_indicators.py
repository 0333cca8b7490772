"""`chuangwen import-indicators FILE.xlsx [--commit] [--json] [--system ID | --name N ...]`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from chuangwen.campaigns.models import Campaign
from chuangwen.core.excel import SpreadsheetError
from chuangwen.indicators import services
from chuangwen.indicators.importing import read_indicator_table
from chuangwen.indicators.models import EvaluationSystem, SystemLevel


class Command(BaseCommand):
    help = "Import an evaluation system (测评体系) from .xlsx. A dry run unless --commit."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
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
        try:
            table = read_indicator_table(options["file"])
        except (SpreadsheetError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        summary = table.summary()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            for key, value in table.counts().items():
                self.stdout.write(f"{key}: {value}")
            for problem in table.errors:
                self.stdout.write(f"ERROR {problem}")
        if not table.ok:
            raise CommandError(f"{len(table.errors)} error(s); nothing written")
        if not options["commit"]:
            if not options["json"]:
                self.stdout.write("dry run: nothing written (add --commit to write)")
            return
        if options["system"]:
            system = EvaluationSystem.objects.filter(pk=options["system"]).first()
            if system is None:
                raise CommandError(f"no evaluation system {options['system']}")
        else:
            if not options["name"]:
                raise CommandError("give --system ID or --name for a new system")
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
                f"committed into system {system.pk}: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
