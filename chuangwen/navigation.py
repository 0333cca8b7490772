"""The main menu: (url name, label, roles that see it; None = every signed-in user).

Apps add their entries to NAV; the context processor filters them by the user's roles and
folds them into the dropdown groups of GROUPS (an entry in no group stays a top-level link;
a group left with one visible entry shows as that link).
"""

from django.utils.translation import gettext_lazy as _

OFFICE = ("office_admin",)
OFFICE_AND_LEADERS = ("office_admin", "leader")

NAV = [
    ("core:home", _("Home"), None),
    ("dashboard:index", _("Dashboard"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("org:units", _("Units"), None),
    ("org:people", _("People"), None),
    ("campaigns:calendar", _("Campaign"), None),
    ("campaigns:groups", _("Working groups"), None),
    ("setup:index", _("Setup"), OFFICE),
    ("setup:index", _("Setup"), OFFICE),
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
    (
        "inspections:rounds",
        _("Inspections"),
        ("office_admin", "leader", "unit_admin", "liaison", "inspector"),
    ),
    ("surveys:index", _("Surveys"), ("office_admin", "leader", "unit_admin", "liaison", "enumerator")),
    ("surveys:mine", _("My interviews"), ("enumerator",)),
    ("problems:inbox", _("Problems"), None),
    (
        "problems:report",
        _("Report a problem"),
        ("office_admin", "inspector", "unit_admin", "liaison", "duty_staff", "enumerator"),
    ),
    ("problems:console", _("Dispatch"), OFFICE),
    (
        "problems:rates",
        _("Rectification rates"),
        ("office_admin", "leader", "unit_admin", "liaison", "inspector"),
    ),
    ("scoring:overview", _("Scores"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("assessments:index", _("Monthly assessment"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("stars:list", _("Star ratings"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("bulletins:archive", _("Bulletins"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("volunteers:index", _("Volunteers"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("volunteers:activities", _("Volunteer activities"), ("office_admin", "leader", "unit_admin", "liaison")),
    (
        "practice:index",
        _("Practice ledgers"),
        ("office_admin", "leader", "unit_admin", "liaison", "inspector"),
    ),
    (
        "visits:index",
        _("Door-to-door visits"),
        ("office_admin", "leader", "unit_admin", "liaison", "duty_staff"),
    ),
    ("audit:list", _("Audit log"), OFFICE),
    ("jobs:list", _("Background jobs"), OFFICE),
    ("meetings:index", _("Meetings"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("briefings:index", _("Daily and weekly reports"), ("office_admin", "leader")),
    ("ledger:index", _("Year-end account"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("offline:devices", _("Field phones"), OFFICE),
]

# (label, url-name prefixes): an entry joins the first group with a prefix its url name starts with.
GROUPS = [
    (_("Organisation"), ("org:", "campaigns:", "setup:", "accounts:", "audit:", "jobs:")),
    (_("Evaluation and tasks"), ("indicators:", "tasks:", "materials:", "scoring:")),
    (_("Field work"), ("points:", "inspections:", "offline:")),
    (_("Problems"), ("problems:", "bulletins:")),
    (_("Surveys"), ("surveys:",)),
    (_("Mobilising people"), ("volunteers:", "practice:", "visits:")),
    (_("Accountability"), ("assessments:", "stars:")),
]

# Mobilising places: the frontage register (门前三包) and the public-welfare ad inventory.
NAV += [
    (
        "shops:list",
        _("Street-front shops"),
        ("office_admin", "leader", "unit_admin", "liaison", "duty_staff", "inspector"),
    ),
    (
        "placements:list",
        _("Public-welfare ads"),
        ("office_admin", "leader", "unit_admin", "liaison", "duty_staff", "inspector"),
    ),
    ("honours:list", _("Honours"), ("office_admin", "leader", "unit_admin", "liaison")),
    ("honours:selections", _("Selections (评选)"), ("office_admin", "leader", "unit_admin", "liaison")),
    (
        "exposure:rolls",
        _("Commendation and criticism lists"),
        ("office_admin", "leader", "unit_admin", "liaison"),
    ),
]
GROUPS += [(_("Places and honours"), ("shops:", "placements:", "honours:", "exposure:"))]
