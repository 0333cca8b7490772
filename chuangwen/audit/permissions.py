"""Who may read the audit log (the pages and the API); checked with core.permissions."""

from __future__ import annotations

from chuangwen.core.roles import Role

READ_AUDIT = (Role.OFFICE_ADMIN,)
