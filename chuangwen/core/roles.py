"""The roles a membership gives, below every app that checks them.

`chuangwen.accounts.models` keeps the memberships that hold these roles (and re-exports
`Role`); the role checks (`core.permissions`) and the scoping helper (`org.scope`) need only
the values, so the apps below accounts (audit, org) can check roles without importing it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("Campaign office admin")
    LEADER = "leader", _("Leader")
    UNIT_ADMIN = "unit_admin", _("Unit admin")
    LIAISON = "liaison", _("Liaison / info officer")
    INSPECTOR = "inspector", _("Inspector")
    DUTY_STAFF = "duty_staff", _("Duty / grid staff")
    ENUMERATOR = "enumerator", _("Survey enumerator")


# Roles that see the whole campaign territory; every other role sees its units and below.
CAMPAIGN_WIDE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.LEADER})
