"""What a user may *do* with scores (seeing is decided by scope)."""

from chuangwen.accounts.models import Role

# Units read the score and their own lost points; the office and leaders read everything.
READ_SCORES = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
# The rules and the office's own inputs (部门评价, negative list, bonus) are the office's.
MANAGE_SCORING = (Role.OFFICE_ADMIN,)
READ_CONFIG = (Role.OFFICE_ADMIN, Role.LEADER)
