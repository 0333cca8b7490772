from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "chuangwen.shops"
    verbose_name = _("Street-front shops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chuangwen.shops import signals  # noqa: F401
