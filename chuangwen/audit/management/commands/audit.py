"""`chuangwen audit verify|checkpoint|rotate-key|purge`: the audit log's maintenance.

verify exits 1 and names the first broken link when any entry was altered or removed behind
the product's back, or a published checkpoint no longer matches; it exits 0 with a one-line
summary when the chain is intact. checkpoint publishes a signed checkpoint of the head now
(the worker does it every AUDIT_CHECKPOINT_MINUTES). rotate-key adds a new audit key to the
key file; see docs/operations.md.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangwen.audit import checkpoints
from chuangwen.audit.services import (
    MIN_RETENTION_DAYS,
    purge_older_than,
    purgeable,
    retention_cutoff,
    rotate_key,
    verify_chain,
)


class Command(BaseCommand):
    help = "Check the audit log (verify), publish a checkpoint, rotate the key, or apply retention (purge)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,checkpoint,rotate-key,purge}"
        )
        verify = sub.add_parser("verify", help="walk the chain and report the first broken link (exit 1)")
        verify.add_argument(
            "--checkpoints",
            nargs="+",
            type=Path,
            default=None,
            metavar="FILE",
            help="checkpoint files (or log excerpts) to check against (default: AUDIT_CHECKPOINT_FILE)",
        )
        sub.add_parser("checkpoint", help="publish a signed checkpoint of the chain's head now")
        sub.add_parser("rotate-key", help="add a new audit key to the key file; old entries keep verifying")
        purge = sub.add_parser(
            "purge",
            help=f"remove entries older than the retention period (at least {MIN_RETENTION_DAYS} days)",
        )
        purge.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep this many days (never fewer than AUDIT_RETENTION_DAYS)",
        )
        purge.add_argument("--dry-run", action="store_true", help="only count what would be removed")

    def handle(self, *args, **options) -> None:
        command = options["subcommand"]
        if command == "verify":
            self._verify(options["checkpoints"])
        elif command == "checkpoint":
            checkpoint = checkpoints.publish()
            self.stdout.write(
                f"checkpoint written to {settings.AUDIT_CHECKPOINT_FILE}: entry #{checkpoint.id}, "
                f"{checkpoint.count} entries, {checkpoint.hash}"
            )
        elif command == "rotate-key":
            try:
                old, new = rotate_key()
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"audit key {new} added after {old} in {settings.AUDIT_KEY_FILE}; "
                "restart the web server and the worker so they sign with it"
            )
        else:
            self._purge(options["days"], options["dry_run"])

    def _verify(self, files: list[Path] | None) -> None:
        for path in files or []:
            if not path.is_file():
                raise CommandError(f"{path} does not exist", returncode=2)
        result = verify_chain(checkpoint_files=files)
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    _("audit log intact: %(count)d entries checked, %(checkpoints)d checkpoints match")
                    % {"count": result.checked, "checkpoints": result.checkpoints}
                )
            )
            return
        where = _("entry #%(id)s") % {"id": result.broken_id} if result.broken_id else _("the chain head")
        raise CommandError(
            _("audit log broken at %(where)s: %(reason)s (%(count)d entries before it are intact)")
            % {"where": where, "reason": result.reason, "count": result.checked},
            returncode=1,
        )

    def _purge(self, days: int | None, dry_run: bool) -> None:
        floor = max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)
        if days is not None and days < floor:
            self.stderr.write(
                _("--days %(days)d is below the retention floor; keeping %(floor)d days")
                % {"days": days, "floor": floor}
            )
        cutoff = retention_cutoff(days)
        if dry_run:
            count = purgeable(cutoff)[0].count()
            self.stdout.write(
                _("would remove %(count)d entries older than %(cutoff)s")
                % {"count": count, "cutoff": f"{cutoff:%Y-%m-%d %H:%M}"}
            )
            return
        removed = purge_older_than(days)
        self.stdout.write(
            _("removed %(count)d entries older than %(cutoff)s")
            % {"count": removed, "cutoff": f"{cutoff:%Y-%m-%d %H:%M}"}
        )
