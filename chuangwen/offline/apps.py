from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "chuangwen.offline"
    label = "offline"
    verbose_name = "Offline field work"
