"""`chuangwen seed-checklists`: add the reference point types and checklists that are missing."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.points.models import ChecklistItem, PointType
from chuangwen.points.seed import seed_reference
from chuangwen.points.services import link_indicators


class Command(BaseCommand):
    help = "Add the reference point types and checklist items that do not exist yet (edits are kept)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            types, items = seed_reference(PointType, ChecklistItem)
        linked = link_indicators()
        self.stdout.write(
            _(
                "point types added: %(types)d; checklist items added: %(items)d; linked to indicators: %(linked)d"
            )
            % {"types": types, "items": items, "linked": linked}
        )
