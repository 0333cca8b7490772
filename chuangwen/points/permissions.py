"""What a user may *do* with points, checklists and duty (seeing is decided by scope)."""

from chuangwen.accounts.models import Role

MANAGE_TEMPLATES = (Role.OFFICE_ADMIN,)  # point types and checklists: the district's standard
MANAGE_POINTS = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN)  # a unit admin edits points of its units
IMPORT_POINTS = (Role.OFFICE_ADMIN,)
EXPORT_POINTS = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
MANAGE_DUTY = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN)  # rosters and shifts
READ_DUTY = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)  # records, attendance
