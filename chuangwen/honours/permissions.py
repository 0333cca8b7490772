"""What a user may *do* with honours (seeing is accounts.scope on the unit)."""

from chuangwen.accounts.models import Role

READ_HONOURS = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
MANAGE_HONOURS = (Role.OFFICE_ADMIN,)  # the register, re-checks, review, 公示 and awards
NOMINATE = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON)
