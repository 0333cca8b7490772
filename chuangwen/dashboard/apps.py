from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "chuangwen.dashboard"
    label = "dashboard"
    verbose_name = _("Leadership dashboard")

    def ready(self) -> None:
        from chuangwen.dashboard import jobs  # noqa: F401 (registers the huey tasks)
