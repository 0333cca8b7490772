from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "chuangwen.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from chuangwen.audit import jobs  # noqa: F401 (registers the huey task)
