"""The main menu: (url name, label, roles that see it; None = every signed-in user).

Apps add their entries here; the context processor filters them by the user's roles.
"""

from django.utils.translation import gettext_lazy as _

OFFICE = ("office_admin",)
OFFICE_AND_LEADERS = ("office_admin", "leader")

NAV = [
    ("core:home", _("Home"), None),
    ("org:units", _("Units"), None),
    ("org:people", _("People"), None),
    ("campaigns:calendar", _("Campaign"), None),
    ("campaigns:groups", _("Working groups"), None),
    ("org:territory", _("Roads and grids"), None),
    ("indicators:tree", _("Evaluation system"), None),
    ("tasks:board", _("Tasks"), None),
    ("tasks:mine", _("My tasks"), None),
    ("notifications:list", _("Notifications"), None),
    ("materials:due", _("Materials"), None),
    ("materials:queue", _("Review queue"), ("office_admin", "leader", "unit_admin")),
    ("accounts:users", _("Users"), ("office_admin", "unit_admin")),
    ("points:list", _("Points"), None),
    ("points:my_duty", _("My duty"), None),
    ("inspections:rounds", _("Inspections"), ("office_admin", "leader", "unit_admin", "liaison", "inspector")),
    ("surveys:index", _("Surveys"), ("office_admin", "leader", "unit_admin", "liaison", "enumerator")),
    ("surveys:mine", _("My interviews"), ("enumerator",)),
    ("problems:inbox", _("Problems"), None),
    ("problems:report", _("Report a problem"), ("office_admin", "inspector", "unit_admin", "liaison", "duty_staff", "enumerator")),
    ("problems:console", _("Dispatch"), OFFICE),
    ("problems:rates", _("Rectification rates"), ("office_admin", "leader", "unit_admin", "liaison", "inspector")),
    ("audit:list", _("Audit log"), OFFICE),
]
