"""Who sees a volunteer's phone and ID number unmasked: the office, and the people of the
volunteer's own unit (or a unit above it). Leaders and organisers elsewhere see them masked."""

from __future__ import annotations

from typing import Any

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import is_office
from chuangwen.accounts.scope import scope_for
from chuangwen.core.text import mask_phone
from chuangwen.org.models import Unit
from chuangwen.volunteers.crypto import mask_id_number

# Memberships that make a unit "one's own" for contact details (not the leaders' campaign-wide view).
OWN_UNIT_ROLES = (Role.UNIT_ADMIN, Role.LIAISON, Role.DUTY_STAFF, Role.ENUMERATOR, Role.INSPECTOR)


def sees_contacts(user: Any, unit: Unit) -> bool:
    return is_office(user) or scope_for(user, OWN_UNIT_ROLES).covers(unit)


def phone_for(user: Any, volunteer: Any) -> str:
    return volunteer.phone if sees_contacts(user, volunteer.unit) else mask_phone(volunteer.phone)


def id_number_for(user: Any, volunteer: Any) -> str:
    """The ID number in full for the office only; masked for the volunteer's unit; else nothing."""
    number = volunteer.id_number
    if not number:
        return ""
    if is_office(user):
        return number
    return mask_id_number(number) if sees_contacts(user, volunteer.unit) else ""
