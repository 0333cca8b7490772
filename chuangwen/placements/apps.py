from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "chuangwen.placements"
    verbose_name = _("Public-welfare advertising")
    default_auto_field = "django.db.models.BigAutoField"
