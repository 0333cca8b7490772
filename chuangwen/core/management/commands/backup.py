"""`chuangwen backup FILE`: one consistent snapshot (database, media, manifest) as a tar.gz.

Safe while the server runs. Schedule it from cron or a systemd timer; see docs/operations.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.core.management.snapshot import SnapshotError, create_snapshot


class Command(BaseCommand):
    help = "Write a consistent snapshot of the database and media files to FILE (.tar.gz)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", help="the archive to write, e.g. /var/backups/chuangwen-2026-05-01.tar.gz"
        )
        parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    def handle(self, *args, **options) -> None:
        archive = Path(options["file"])
        if archive.exists() and not options["force"]:
            raise CommandError(_("%(file)s exists; pass --force to overwrite it.") % {"file": archive})
        try:
            manifest = create_snapshot(archive)
        except SnapshotError as exc:
            raise CommandError(str(exc)) from exc
        media = manifest["media"]
        self.stdout.write(
            _("Backup written to %(file)s: %(vendor)s database, %(count)d migrations, %(files)d media files.")
            % {
                "file": archive,
                "vendor": manifest["database"]["vendor"],
                "count": len(manifest["migrations"]),
                "files": media["files"],
            }
        )
        if not media["included"]:
            self.stdout.write(
                _("Media files are in S3-compatible storage and are not in the archive: back up the bucket.")
            )
