from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "chuangwen.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # huey registers periodic jobs when their module is imported.
        from chuangwen.campaigns import jobs  # noqa: F401
