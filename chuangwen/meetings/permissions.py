"""Who may do what with meetings. What a user may *see* is decided by Meeting.objects.visible_to
and the scoping helper: the office and leaders see every meeting; a unit's people see the
meetings their unit was invited to and the decisions addressed to their unit (or below it).
"""

from __future__ import annotations

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import has_any_role, role_required

__all__ = ["MANAGE", "READ", "has_any_role", "role_required"]

# The office convenes meetings, records attendance and minutes and turns decisions into work.
MANAGE = (Role.OFFICE_ADMIN,)
# Leaders chair and read them all; units read what concerns them.
READ = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
