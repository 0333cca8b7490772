"""Who may change the unit tree and the people in it; checked with core.permissions."""

from __future__ import annotations

from chuangwen.core.roles import Role

MANAGE_ORG = (Role.OFFICE_ADMIN,)
MANAGE_PEOPLE = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN)
