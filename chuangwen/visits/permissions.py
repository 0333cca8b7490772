"""Who organises visit rounds and who records visits (seeing is decided by accounts.scope)."""

from chuangwen.accounts.models import Role

MANAGE = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON)
RECORD = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON, Role.DUTY_STAFF)
READ = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON, Role.DUTY_STAFF)
