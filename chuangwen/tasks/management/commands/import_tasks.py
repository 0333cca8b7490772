"""`chuangwen import-tasks FILE.xlsx [--commit] [--json] [--campaign ID] [--system ID]`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.campaigns.models import Campaign
from chuangwen.core.excel import SpreadsheetError
from chuangwen.core.import_template import TEMPLATE_HELP, write_template_file
from chuangwen.indicators.models import EvaluationSystem
from chuangwen.tasks import services
from chuangwen.tasks.importing import read_task_table
from chuangwen.tasks.models import AssignmentRole

PREVIEW_ROWS = 30


class Command(BaseCommand):
    help = "Import a task table (任务分解表) from .xlsx. A dry run (preview and problems) unless --commit."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="the .xlsx file")
        parser.add_argument("--template", metavar="FILE", help=TEMPLATE_HELP + "tasks.md")
        parser.add_argument("--commit", action="store_true", help="write (otherwise only check and preview)")
        parser.add_argument("--json", action="store_true", help="print a machine-readable summary")
        parser.add_argument("--campaign", type=int, help="campaign id (default: the current campaign)")
        parser.add_argument("--system", type=int, help="evaluation system id (default: the campaign's)")

    def handle(self, *args, **options) -> None:
        if options["template"]:
            from chuangwen.tasks.import_template import task_template

            current = Campaign.objects.current()
            lead = current.root_unit.name if current is not None else "区文明办"
            self.stdout.write(write_template_file(options["template"], task_template(lead, "")))
            return
        if not options["file"]:
            raise CommandError(_("Give the .xlsx file to import, or --template FILE for a blank template."))
        campaign = (
            Campaign.objects.filter(pk=options["campaign"]).first()
            if options["campaign"]
            else Campaign.objects.current()
        )
        if campaign is None:
            raise CommandError(
                _("There is no campaign yet: create one (`chuangwen setup`) or pass --campaign ID.")
            )
        system = None
        if options["system"]:
            system = EvaluationSystem.objects.filter(pk=options["system"]).first()
            if system is None:
                raise CommandError(_("There is no evaluation system %(id)s.") % {"id": options["system"]})
        try:
            table = read_task_table(options["file"], campaign, system)
        except (SpreadsheetError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        result = None
        if table.ok and options["commit"]:
            result = services.import_tasks(table, "cli")
        if options["json"]:
            summary = table.summary()
            summary["committed"] = result is not None
            if result is not None:
                summary.update(created=result.created, updated=result.updated, unchanged=result.unchanged)
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self._print(table, result)
        if not table.ok:
            raise CommandError(_("%(count)d error(s); nothing was written.") % {"count": len(table.errors)})

    def _print(self, table, result) -> None:
        out = self.stdout.write
        out(
            _("campaign: %(campaign)s · sheet: %(sheet)s · rows read: %(rows)d · tasks: %(tasks)d")
            % {
                "campaign": table.campaign,
                "sheet": table.sheet,
                "rows": table.rows_read,
                "tasks": len(table.tasks),
            }
        )
        out(
            _("methods: %(counts)s")
            % {"counts": "、".join(f"{k} {v}" for k, v in table.method_label_counts().items())}
        )
        if table.new_indicators:
            out(_("indicators to create: %(count)d") % {"count": len(table.new_indicators)})
        for task in table.tasks[:PREVIEW_ROWS]:
            lead = "、".join(u.unit.name for u in task.units if u.role == AssignmentRole.LEAD)
            rest = "、".join(u.unit.name for u in task.units if u.role != AssignmentRole.LEAD)
            due = task.schedule.deadline or task.schedule.cadence_label
            out(
                _("  row %(row)d: [%(method)s] %(title)s | %(lead)s | %(rest)s | %(due)s")
                % {
                    "row": task.row,
                    "method": task.method_label,
                    "title": task.title[:40],
                    "lead": lead or "-",
                    "rest": rest or "-",
                    "due": due,
                }
            )
        if len(table.tasks) > PREVIEW_ROWS:
            out(_("  … %(count)d more") % {"count": len(table.tasks) - PREVIEW_ROWS})
        for warning in table.warnings:
            out(_("WARNING %(problem)s") % {"problem": warning})
        for problem in table.errors:
            hint = (
                _(" (did you mean: %(names)s?)") % {"names": "、".join(problem.suggestions)}
                if problem.suggestions
                else ""
            )
            out(_("ERROR %(problem)s") % {"problem": problem} + hint)
        if result is not None:
            out(
                _("committed: %(created)d new, %(updated)d updated, %(unchanged)d unchanged")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            )
        elif table.ok:
            out(_("dry run: nothing written (add --commit to write)"))
