from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExposureConfig(AppConfig):
    name = "chuangwen.exposure"
    verbose_name = _("Exposure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chuangwen.exposure import signals  # noqa: F401
