"""`chuangwen import-questionnaire FILE [--commit] [--json] [--campaign ID]`: an XLSForm read
with pyxform; a dry run unless --commit, which creates a draft questionnaire."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.campaigns.models import Campaign
from chuangwen.surveys import services
from chuangwen.surveys.xlsform import parse_xlsform


def question_rows(design) -> list[dict]:
    """Every question with its type, logic and group path (the --json listing)."""
    return [
        {
            "name": q.name,
            "type": str(q.kind),
            "label": q.label,
            "relevant": q.logic.get("relevant", ""),
            "constraint": q.logic.get("constraint", ""),
            "calculation": q.logic.get("calculation", ""),
            "choice_filter": q.logic.get("choice_filter", ""),
            "required": "yes" if q.required else q.logic.get("required", ""),
            "screening": q.logic.get("screening", "yes" if q.is_screening else ""),
            "path": "/".join(q.logic.get("path", [])),
            "options": [o.name for o in q.options],
        }
        for q in design.questions
    ]


class Command(BaseCommand):
    help = "Import a questionnaire from an XLSForm (.xlsx/.xls). A dry run unless --commit."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the XLSForm")
        parser.add_argument("--commit", action="store_true", help="create the questionnaire (a draft)")
        parser.add_argument("--json", action="store_true", help="print every question as JSON")
        parser.add_argument("--campaign", type=int, help="campaign (default: the current one)")

    def handle(self, *args, **options) -> None:
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        result = parse_xlsform(data)
        if options["json"]:
            summary = {"ok": result.ok, "errors": result.errors, "questions": question_rows(result.design)}
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            for problem in result.errors:
                self.stdout.write(_("ERROR %(problem)s") % {"problem": problem})
            if result.ok:
                self.stdout.write(
                    _("The file is correct: %(n)d questions.") % {"n": len(result.design.questions)}
                )
        if not result.ok:
            raise CommandError(_("%(count)d error(s); nothing was written.") % {"count": len(result.errors)})
        if not options["commit"]:
            if not options["json"]:
                self.stdout.write(_("dry run: nothing written (add --commit to write)"))
            return
        campaign = (
            Campaign.objects.filter(pk=options["campaign"]).first()
            if options["campaign"]
            else Campaign.objects.current()
        )
        if campaign is None:
            raise CommandError(_("There is no campaign to import into."))
        design = result.design
        q = services.create_questionnaire(
            None,
            campaign,
            design.title or Path(options["file"]).stem,
            design.audience or "citizen",
            design=design,
        )
        self.stdout.write(_("Questionnaire %(id)d created as a draft.") % {"id": q.pk})
