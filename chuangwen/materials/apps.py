from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "chuangwen.materials"
    label = "materials"
    verbose_name = _("Materials")

    def ready(self) -> None:
        # Register the background jobs with huey (the consumer imports installed apps' jobs).
        from chuangwen.materials import jobs  # noqa: F401
