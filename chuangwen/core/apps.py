from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chuangwen.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from chuangwen.core import jobs  # noqa: F401 (registers the huey tasks)
