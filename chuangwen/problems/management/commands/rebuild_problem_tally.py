"""`chuangwen rebuild-problem-tally`: recompute the closed-problem tally behind rates by unit."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from chuangwen.problems import tally


class Command(BaseCommand):
    help = "Recompute closed problems per unit and month (after a bulk load or manual edits)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(_("%(count)d tally rows") % {"count": tally.rebuild()})
