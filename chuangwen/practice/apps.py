from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "chuangwen.practice"
    label = "practice"
    verbose_name = _("Civilisation practice ledgers")
