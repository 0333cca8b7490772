"""What a user may *do* with volunteers (seeing is decided by accounts.scope).

A community or school keeps its own teams, roster and activities (unit admin and liaison of
the unit or a unit above it); the office does everything; leaders read."""

from chuangwen.accounts.models import Role

MANAGE = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON)
READ = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
# Commendation (评选表彰) of 文明志愿者 is decided by the campaign office.
COMMEND = (Role.OFFICE_ADMIN,)
