from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "chuangwen.scoring"
    label = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from chuangwen.scoring import hooks, jobs  # noqa: F401 (registers the huey tasks)

        hooks.connect()
