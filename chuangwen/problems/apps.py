from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "chuangwen.problems"
    label = "problems"
    verbose_name = _("Problems")

    def ready(self) -> None:
        # Importing the module registers the periodic escalation job with huey.
        # A category saved or deleted here clears this process's cached copy (queries.minor_category).
        from django.db.models.signals import post_delete, post_save

        from chuangwen.problems import jobs  # noqa: F401
        from chuangwen.problems.models import ProblemCategory
        from chuangwen.problems.queries import forget_categories

        post_save.connect(forget_categories, sender=ProblemCategory, dispatch_uid="problems.categories.save")
        post_delete.connect(
            forget_categories, sender=ProblemCategory, dispatch_uid="problems.categories.delete"
        )
