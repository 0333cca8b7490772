"""Who may do what with the per-unit ledger. What a user may *see* is its units' accounts
(the scoping helper over Unit); the office and leaders see every unit."""

from __future__ import annotations

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import has_any_role, role_required

__all__ = ["MANAGE", "READ", "READ_ALL", "has_any_role", "role_required"]

# The office sets the year-end rules and records credits (特色加分, 通报表扬).
MANAGE = (Role.OFFICE_ADMIN,)
# The whole table and its export: the office and leaders.
READ_ALL = (Role.OFFICE_ADMIN, Role.LEADER)
# A unit's own statement: its admins and liaisons too.
READ = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
