from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "chuangwen.points"
    label = "points"
    verbose_name = _("Field points and duty")

    def ready(self) -> None:
        from chuangwen.points import jobs  # noqa: F401 (registers the huey tasks)
