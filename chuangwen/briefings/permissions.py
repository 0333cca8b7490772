"""Who may do what with the daily and weekly reports. The office sets the schedule and
generates one now; leaders read and download them. A unit's liaison gets its own weekly figures
as a notification, not the list (the reports hold every unit's figures)."""

from __future__ import annotations

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import has_any_role, role_required

__all__ = ["MANAGE", "READ", "has_any_role", "role_required"]

MANAGE = (Role.OFFICE_ADMIN,)
READ = (Role.OFFICE_ADMIN, Role.LEADER)
