from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "chuangwen.briefings"
    label = "briefings"
    verbose_name = _("Daily and weekly reports")

    def ready(self) -> None:
        from chuangwen.briefings import jobs  # noqa: F401 (registers the huey task)
