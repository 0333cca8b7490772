"""Who may do what with bulletins. What a user may *see* is decided by Bulletin.objects.visible_to
(built on accounts.scope): the office and leaders see every published bulletin, a unit's people
see the published bulletins that name their unit or a unit below it; only the office sees drafts.
"""

from __future__ import annotations

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import has_any_role, role_required

__all__ = ["MANAGE", "READ", "has_any_role", "role_required"]

# The office writes, generates and publishes bulletins (通报 are the office's documents).
MANAGE = (Role.OFFICE_ADMIN,)
# Leaders read them all; the units named read theirs.
READ = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
