"""`chuangwen escalate-problems`: run the escalation pass now (the worker runs it every 15 minutes)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from chuangwen.problems import escalation


class Command(BaseCommand):
    help = "Send due-soon reminders, supervision notices and cards for overdue problems."

    def handle(self, *args, **options) -> None:
        self.stdout.write(json.dumps(escalation.run(), ensure_ascii=False))
