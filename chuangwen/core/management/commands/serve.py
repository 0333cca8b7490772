"""`chuangwen serve`: the production web server (gunicorn), settings from the environment.

Never Django's runserver. Without --with-worker the command replaces itself with gunicorn, so
a process manager (systemd) talks to gunicorn directly: SIGTERM stops it gracefully, SIGHUP
reloads the workers.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from chuangwen.core.management import processes
from chuangwen.core.storage import check_storage


def default_workers() -> int:
    # gunicorn's rule of thumb (2 × cores + 1), capped: the database is the bottleneck first.
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def add_server_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--workers", type=int, default=None, help="web worker processes (default 2 × cores + 1, at most 8)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per web worker (default 4)")
    parser.add_argument(
        "--timeout", type=int, default=60, help="seconds before a stuck request's worker is restarted"
    )


def collect_static(stdout) -> None:
    """Copy static files into STATIC_ROOT (in the data folder); unchanged files are skipped."""
    call_command("collectstatic", interactive=False, verbosity=0)
    stdout.write(_("Static files are in %(path)s") % {"path": settings.STATIC_ROOT})


def pending_migrations(alias: str = "default") -> list[str]:
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) with settings from the environment."

    def add_arguments(self, parser) -> None:
        add_server_arguments(parser)
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run the background job worker (huey) in this service",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="skip collecting static files (when they are served from elsewhere)",
        )
        parser.add_argument(
            "--skip-migration-check",
            action="store_true",
            help="start even when the database lacks migrations this version needs",
        )

    def handle(self, *args, **options) -> None:
        if options["port"] < 1 or options["port"] > 65535:
            raise CommandError(_("--port must be between 1 and 65535"))
        workers = options["workers"] or default_workers()
        if workers < 1 or options["threads"] < 1:
            raise CommandError(_("--workers and --threads must be at least 1"))
        if not processes.port_is_free(options["host"], options["port"]):
            raise CommandError(
                _("Port %(port)d on %(host)s is in use. Choose another with --port.")
                % {"port": options["port"], "host": options["host"]}
            )
        if not options["skip_migration_check"]:
            pending = pending_migrations()
            if pending:
                raise CommandError(
                    _(
                        "The database needs %(count)d migration(s) (%(first)s …). Run `chuangwen migrate` first."
                    )
                    % {"count": len(pending), "first": pending[0]}
                )
        problem = check_storage()
        if problem:
            raise CommandError(
                _(
                    "The file storage does not answer: %(problem)s. Check the S3_* settings; the bucket must "
                    "exist (`chuangwen check-storage --create-bucket` creates it)."
                )
                % {"problem": problem}
            )
        if settings.DEBUG:
            self.stderr.write(_("Warning: DEBUG is on. Never serve the public with DEBUG=true."))
        if not options["no_collectstatic"]:
            collect_static(self.stdout)
        argv = processes.gunicorn_argv(
            options["host"], options["port"], workers, options["threads"], options["timeout"]
        )
        # Children re-read the settings from the environment; make sure they find the module.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
        self.stdout.write(
            _("Serving on http://%(host)s:%(port)d/ with %(workers)d workers")
            % {"host": options["host"], "port": options["port"], "workers": workers}
        )
        self.stdout.flush()
        if not options["with_worker"]:
            sys.stderr.flush()
            os.execv(argv[0], argv)  # noqa: S606 (our own interpreter, fixed arguments)
        children = processes.web_and_worker(
            options["host"], options["port"], workers, options["threads"], options["timeout"]
        )
        code = processes.Supervisor(children, say=self.stderr.write).run()
        if code:
            raise CommandError(_("The server stopped with an error."), returncode=code)
