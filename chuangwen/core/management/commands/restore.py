"""`chuangwen restore FILE`: bring back a snapshot written by `chuangwen backup`.

Stop the web server and the worker first: the database and the media folder are replaced.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from chuangwen.core.management.commands.serve import pending_migrations
from chuangwen.core.management.snapshot import (
    SnapshotError,
    read_manifest,
    restore_snapshot,
    target_has_data,
)


class Command(BaseCommand):
    help = "Replace the database and media files with those of a backup archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="an archive written by `chuangwen backup`")
        parser.add_argument(
            "--yes-i-am-sure",
            action="store_true",
            dest="sure",
            help="replace a database that already holds data, without asking",
        )
        parser.add_argument(
            "--convert",
            action="store_true",
            help="restore a SQLite backup into PostgreSQL (copies the rows, keeps every id)",
        )

    def handle(self, *args, **options) -> None:
        archive = Path(options["file"])
        if not archive.is_file():
            raise CommandError(_("%(file)s does not exist.") % {"file": archive})
        try:
            manifest = read_manifest(archive)
        except SnapshotError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backup of %(time)s: %(vendor)s database, Chuangwen %(version)s, %(files)d media files.")
            % {
                "time": manifest["created_at"],
                "vendor": manifest["database"]["vendor"],
                "version": manifest["chuangwen_version"],
                "files": manifest["media"]["files"],
            }
        )
        if target_has_data() and not options["sure"] and not self._confirmed():
            raise CommandError(
                _("This database already holds data and would be replaced. Pass --yes-i-am-sure to go ahead.")
            )
        try:
            restored = restore_snapshot(archive, convert=options["convert"])
        except SnapshotError as exc:
            raise CommandError(str(exc)) from exc
        connection.close()
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the %(vendor)s database and %(files)d media files.")
                % {"vendor": connection.vendor, "files": restored["media"]["restored"]}
            )
        )
        pending = pending_migrations()
        if pending:
            self.stdout.write(
                _("The backup predates %(count)d migration(s) of this version: run `chuangwen migrate`.")
                % {"count": len(pending)}
            )

    def _confirmed(self) -> bool:
        if not sys.stdin.isatty():
            return False
        answer = input(_("This database already holds data. Replace it with the backup? Type 'yes': "))
        return answer.strip().lower() == "yes"
