"""`chuangwen audit verify` checks the hash chain; `chuangwen audit purge` applies retention.

verify exits 1 and names the first broken link when any entry was altered or removed behind
the product's back; it exits 0 with a one-line summary when the chain is intact.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangwen.audit.services import (
    MIN_RETENTION_DAYS,
    purge_older_than,
    purgeable,
    retention_cutoff,
    verify_chain,
)


class Command(BaseCommand):
    help = "Check the audit log's hash chain (verify) or remove entries past retention (purge)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,purge}")
        sub.add_parser("verify", help="walk the chain and report the first broken link (exit 1)")
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
        if options["subcommand"] == "verify":
            self._verify()
        else:
            self._purge(options["days"], options["dry_run"])

    def _verify(self) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    _("audit log intact: %(count)d entries checked") % {"count": result.checked}
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
