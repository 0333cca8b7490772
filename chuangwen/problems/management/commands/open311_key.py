"""`chuangwen open311-key NAME [--source hotline_12345]`: create an Open311 client and print its key once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.problems.models import Open311Client, Source


class Command(BaseCommand):
    help = "Create an Open311 client (a system allowed to POST requests) and print its api_key."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument("--source", default=Source.CITIZEN, choices=Source.values)

    def handle(self, *args, **options) -> None:
        if Open311Client.objects.filter(name=options["name"]).exists():
            raise CommandError(
                _("An Open311 client named “%(name)s” exists already; choose another name.")
                % {"name": options["name"]}
            )
        client, key = Open311Client.create_with_key(options["name"], options["source"])
        log_action("cli", "problems.open311_client.create", client, {"source": client.source})
        self.stdout.write(key)
