"""`chuangwen sweep-files`: delete stored files that no record references (orphans)."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.core.storage import StorageUnavailable
from chuangwen.core.sweep import NotMigrated, sweep


class Command(BaseCommand):
    help = "Delete stored files that no record references, once older than the grace period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--grace-hours",
            type=int,
            default=None,
            help="keep unreferenced files younger than this (default FILE_SWEEP_GRACE_HOURS, 24)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be deleted, delete nothing"
        )

    def handle(self, *args, **options) -> None:
        hours = options["grace_hours"]
        if hours is None:
            hours = settings.FILE_SWEEP_GRACE_HOURS
        if hours < 1:
            raise CommandError(_("--grace-hours must be at least 1"))
        try:
            result = sweep(dt.timedelta(hours=hours), dry_run=options["dry_run"])
        except StorageUnavailable as exc:
            raise CommandError(f"{exc} ({exc.detail})") from exc
        except NotMigrated as exc:
            raise CommandError(str(exc)) from exc
        for name in result.deleted:
            self.stdout.write(("would delete " if options["dry_run"] else "deleted ") + name)
        self.stdout.write(json.dumps(result.as_dict()))
