"""`chuangwen load-problem-categories [FILE] [--holidays FILE]`: load or update reference data.

Without a file, reloads the categories shipped with the app (reference/problem_categories.csv).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.problems.models import CalendarDay, ProblemCategory
from chuangwen.problems.seed import SeedError, load_categories, load_holidays


class Command(BaseCommand):
    help = "Load problem categories (CSV: kind,major,minor,time_limit,time_unit,close_condition,source_note)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="categories CSV (default: the shipped one)")
        parser.add_argument("--holidays", help="holiday CSV (date,kind,name) to load as well")

    def handle(self, *args, **options) -> None:
        try:
            with transaction.atomic():
                text = Path(options["file"]).read_text(encoding="utf-8-sig") if options["file"] else None
                result = load_categories(ProblemCategory, text)
                self.stdout.write(_("categories: %(result)s") % {"result": result})
                if options["holidays"]:
                    days = load_holidays(
                        CalendarDay, Path(options["holidays"]).read_text(encoding="utf-8-sig")
                    )
                    self.stdout.write(_("calendar days: %(days)s") % {"days": days})
        except (OSError, SeedError) as exc:
            raise CommandError(str(exc)) from exc
