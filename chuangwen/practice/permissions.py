"""Who keeps and who reads the practice ledgers (seeing is decided by accounts.scope)."""

from chuangwen.accounts.models import Role

KEEP = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON)
# Inspectors go through the ledgers point by point.
READ = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON, Role.INSPECTOR)
