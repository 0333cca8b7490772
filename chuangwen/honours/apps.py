from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "chuangwen.honours"
    verbose_name = _("Honours")
    default_auto_field = "django.db.models.BigAutoField"
