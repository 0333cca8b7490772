from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "chuangwen.tasks"
    label = "tasks"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        # Registers the periodic reminder job with huey (its autodiscovery looks for
        # "<app>.tasks", which in this app would be the package itself).
        from chuangwen.tasks import jobs  # noqa: F401
