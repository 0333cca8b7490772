from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "chuangwen.problems"
    label = "problems"
    verbose_name = _("Problems")

    def ready(self) -> None:
        # Importing the module registers the periodic escalation job with huey.
        from chuangwen.problems import tasks  # noqa: F401
