from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "chuangwen.jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from huey.contrib.djhuey import HUEY

        from chuangwen.jobs import ledger

        # Only where jobs run in a worker: inline jobs (tests, HUEY_IMMEDIATE) fail in the
        # request that ran them, in front of the user, and need no ledger.
        if not HUEY.immediate:
            ledger.install(HUEY)
