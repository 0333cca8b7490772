"""`chuangwen worker`: the background job consumer (huey), with every option of run_huey.

Jobs are queued in Redis when REDIS_URL is set, else in a SQLite file in the data folder, so
the web processes and this consumer must share the same environment.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHueyCommand


class Command(RunHueyCommand):
    help = "Run the background job worker (huey consumer): reminders, escalations, exports."

    def handle(self, *args, **options) -> None:
        from huey.contrib.djhuey import HUEY

        if HUEY.immediate:
            raise CommandError(
                _("HUEY_IMMEDIATE is on: jobs run inside the web process, so no worker is needed.")
            )
        queue = settings.HUEY.get("url") or settings.HUEY.get("filename")
        self.stdout.write(_("Job worker started; queue: %(queue)s") % {"queue": _redact(str(queue))})
        self.stdout.flush()
        # run_huey gives the huey logger a handler of its own; the root one would repeat each line.
        logging.getLogger("huey").propagate = False
        try:
            super().handle(*args, **options)
        except KeyboardInterrupt:
            # Ctrl-C (or a supervisor's SIGINT) before huey installed its own handlers.
            self.stdout.write(_("Job worker stopped."))


def _redact(url: str) -> str:
    """Hide a password in redis://user:password@host/0 before printing it."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
    return url
