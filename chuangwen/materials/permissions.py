"""Who may do what with materials. What a user may *see* is decided by accounts.scope."""

from __future__ import annotations

from typing import Any

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scope_for

# The office writes requirements and sets the review policy.
MANAGE_MATERIALS = (Role.OFFICE_ADMIN,)
# A unit's liaison or admin files its materials.
SUBMIT_MATERIALS = (Role.LIAISON, Role.UNIT_ADMIN)
# The ledger and the archive: the office and leaders for everything, a unit admin for its units.
EXPORT_MATERIALS = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN)
# Who may ever review at some level (the campaign's ReviewPolicy narrows it per level).
REVIEWER_ROLES = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN)


def can_submit_for(user: Any, unit: Any) -> bool:
    """A liaison or unit admin of the unit (or of a unit above it)."""
    return has_any_role(user, SUBMIT_MATERIALS) and scope_for(user, SUBMIT_MATERIALS).covers(unit)
