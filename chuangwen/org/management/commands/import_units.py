"""`chuangwen import-units FILE.xlsx [--commit] [--json]`: units and people from Excel.

A dry run unless --commit: prints what would be created or updated and every problem with its
sheet, row and column. Exits with status 1 when the file has errors (and then writes nothing,
even with --commit).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.core.import_template import TEMPLATE_HELP, write_template_file
from chuangwen.org.importing import ImportResult, import_units


class Command(BaseCommand):
    help = "Import units and people from an Excel file (a dry run unless --commit)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="the .xlsx file")
        parser.add_argument("--template", metavar="FILE", help=TEMPLATE_HELP + "units.md")
        parser.add_argument("--commit", action="store_true", help="write the import (default: dry run)")
        parser.add_argument("--json", action="store_true", help="print a machine-readable summary")
        parser.add_argument("--user", help="username recorded as the actor in the audit log")

    def handle(self, *args, **options) -> None:
        if options["template"]:
            from chuangwen.org.import_template import unit_template

            self.stdout.write(write_template_file(options["template"], unit_template()))
            return
        if not options["file"]:
            raise CommandError(_("Give the .xlsx file to import, or --template FILE for a blank template."))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor: object = "cli"
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No such user: %(user)s") % {"user": options["user"]})
        result = import_units(
            path, commit=options["commit"], actor=actor, max_bytes=settings.UPLOAD_MAX_BYTES * 10
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._report(result, options["commit"])
        if result.file_error:
            raise CommandError(result.file_error, returncode=1)
        if not result.ok:
            raise CommandError(
                _("The file has %(count)d problem(s); nothing was written.") % {"count": len(result.errors)},
                returncode=1,
            )

    def _report(self, result: ImportResult, commit: bool) -> None:
        out = self.stdout.write
        if result.file_error:
            return  # handle() says why, as the command's error
        out(
            _("Sheets of units: %(units)s; sheets of people: %(people)s")
            % {
                "units": "、".join(result.unit_sheets) or "—",
                "people": "、".join(result.people_sheets) or "—",
            }
        )
        out(
            _("Units: %(new)d new, %(updated)d updated, %(unchanged)d unchanged; %(aliases)d new aliases")
            % {**result.units.as_dict(), "aliases": result.aliases_new}
        )
        out(_("People: %(new)d new, %(updated)d updated, %(unchanged)d unchanged") % result.people.as_dict())
        if result.preview_units:
            out("")
            out(_("First units:"))
            for row in result.preview_units:
                out(
                    f"  {row['row']:>5}  {row['action']:<9} {row['code']:<12} {row['name']}"
                    f"  [{row['kind_label']}]  ← {row['parent'] or '—'}"
                )
        if result.preview_people:
            out("")
            out(_("First people:"))
            for row in result.preview_people:
                out(
                    f"  {row['row']:>5}  {row['action']:<9} {row['name']}  {row['phone'] or '—'}"
                    f"  {row['position'] or '—'}  @ {row['unit']}"
                )
        if result.warnings:
            out("")
            out(_("Warnings (%(count)d):") % {"count": len(result.warnings)})
            for problem in result.warnings:
                out(f"  {problem}")
        if result.errors:
            self.stderr.write("")
            self.stderr.write(_("Problems (%(count)d):") % {"count": len(result.errors)})
            for problem in result.errors:
                self.stderr.write(f"  {problem}")
            return
        out("")
        if commit:
            out(self.style.SUCCESS(_("Imported.")))
        else:
            out(_("Dry run: nothing was written. Run again with --commit to import."))
