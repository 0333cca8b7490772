"""What a user may *do* with inspections (seeing is decided by scope)."""

from chuangwen.accounts.models import Role

MANAGE_ROUNDS = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN)  # a unit admin runs self-checks of its units
INSPECT = (Role.OFFICE_ADMIN, Role.INSPECTOR, Role.UNIT_ADMIN)  # a unit admin inspects its self-checks
READ_ROUNDS = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON, Role.INSPECTOR)
