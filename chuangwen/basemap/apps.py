from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasemapConfig(AppConfig):
    name = "chuangwen.basemap"
    verbose_name = _("Territory base map")
    default_auto_field = "django.db.models.BigAutoField"
