from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "chuangwen.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        # Inspectors open the points drawn for their team (see points.visibility).
        from chuangwen.inspections import jobs  # noqa: F401 (registers the huey tasks)
        from chuangwen.inspections.problem_link import register_resolver
        from chuangwen.inspections.queries import points_of_my_rounds
        from chuangwen.points import visibility

        visibility.register(points_of_my_rounds)
        # Problems filed with a point_ref route to the point's responsible unit.
        register_resolver()
