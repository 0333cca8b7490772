"""What a user may *do* with the 公益广告 inventory (seeing is accounts.scope on the owner unit)."""

from chuangwen.accounts.models import Role

# The owner unit keeps its placements current; the office (宣传部/文明办) counts them all.
EDIT_PLACEMENTS = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON, Role.DUTY_STAFF)
READ_PLACEMENTS = (*EDIT_PLACEMENTS, Role.LEADER, Role.INSPECTOR)
# A condition found on a check (a damaged one becomes a problem): inspectors and the owners.
CHECK_PLACEMENTS = (Role.OFFICE_ADMIN, Role.INSPECTOR, Role.UNIT_ADMIN, Role.LIAISON, Role.DUTY_STAFF)
RUN_CHECKS = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
MANAGE_PLACEMENT_RULES = (Role.OFFICE_ADMIN,)
