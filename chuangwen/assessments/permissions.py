"""What a user may *do* with the monthly assessment (seeing is decided by accounts.scope)."""

from chuangwen.accounts.models import Role

# The office sets the rules, computes and publishes months, records cards and summons.
MANAGE_ASSESSMENT = (Role.OFFICE_ADMIN,)
# The ranking of every unit and its export: the office and leaders.
READ_RANKING = (Role.OFFICE_ADMIN, Role.LEADER)
# A unit's admin and liaison read their own published results, cards and summons.
READ_ASSESSMENT = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
