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
    ("audit:list", _("Audit log"), OFFICE),
]
