"""`chuangwen demo`: a fictional district to try the platform with, on one machine.

Migrates, loads the demo data (idempotently: running it twice changes nothing), collects the
static files, then runs the real web server and the job worker until Ctrl-C. Uses the same
settings as production: by default a SQLite database in the data folder (CHUANGWEN_DATA,
./data when unset).
"""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from chuangwen.core.management import processes
from chuangwen.core.management.commands.serve import add_server_arguments, collect_static


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_demo_data() -> list[tuple[str, str, str]]:
    # Imported here: core imports no app, and the demo package pulls in every app's models.
    try:
        from chuangwen.demo.loader import load_demo
    except ImportError as exc:
        raise CommandError(_("The demo data loader is not available: %(error)s") % {"error": exc}) from exc
    return list(load_demo())


def _admin_logins(usernames: list[str]) -> list[str]:
    """Which of the printed logins may open Django's admin site (staff accounts)."""
    from django.contrib.auth import get_user_model

    staff = set(
        get_user_model()
        .objects.filter(username__in=usernames, is_staff=True)
        .values_list("username", flat=True)
    )
    return [name for name in usernames if name in staff]


class Command(BaseCommand):
    help = "Set up a fictional demo district and run the platform on http://127.0.0.1:8000/."

    def add_arguments(self, parser) -> None:
        add_server_arguments(parser)
        parser.set_defaults(workers=2, threads=4)
        parser.add_argument(
            "--no-serve", action="store_true", help="only prepare the database and print the demo logins"
        )

    def handle(self, *args, **options) -> None:
        host, port = options["host"], options["port"]
        if not options["no_serve"] and not processes.port_is_free(host, port):
            raise CommandError(
                _("Port %(port)d on %(host)s is in use (another Chuangwen?). Choose another with --port.")
                % {"port": port, "host": host}
            )
        where = settings.DATABASES["default"]["NAME"]
        self.stdout.write(_("Database: %(vendor)s %(name)s") % {"vendor": connection.vendor, "name": where})
        self.stdout.write(_("Applying migrations…"))
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("Loading the demo district…"))
        logins = load_demo_data()
        collect_static(self.stdout)
        if options["no_serve"]:
            self._print_logins(logins)
            self.stdout.write(
                _("The database is ready. Start the platform with `chuangwen demo` or `chuangwen serve`.")
            )
            return

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
        if not _is_loopback(host) and "ALLOWED_HOSTS" not in os.environ:
            # Reached from other machines by an address we cannot guess: the demo accepts any.
            os.environ["ALLOWED_HOSTS"] = "*"
        children = processes.web_and_worker(
            host, port, options["workers"], options["threads"], options["timeout"], access_log=False
        )
        supervisor = processes.Supervisor(children, say=self.stderr.write)
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (comparison, not binding)
        url = f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"

        def announce() -> None:
            if not processes.wait_until_serving(url + "healthz", children[0], lambda: supervisor.stopping):
                return  # the supervisor reports the failed child
            self._print_logins(logins)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(_("Chuangwen is running at %(url)s") % {"url": url}))
            self.stdout.write(_("Press Ctrl-C to stop."))
            self.stdout.flush()

        code = supervisor.run(on_started=announce)
        self.stdout.write(_("Stopped."))
        if code:
            raise CommandError(_("The demo stopped with an error."), returncode=code)

    def _print_logins(self, logins: list[tuple[str, str, str]]) -> None:
        self.stdout.write("")
        self.stdout.write(_("Demo logins (fictional people; role: username / password):"))
        for username, password, role in logins:
            self.stdout.write(f"  {role}: {username} / {password}")
        admins = _admin_logins([username for username, _password, _role in logins])
        if admins:
            self.stdout.write(
                _(
                    "The admin site (/admin/) opens with %(logins)s only; every other login works in the product."
                )
                % {"logins": "、".join(admins)}
            )
