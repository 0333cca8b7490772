"""Role checks for actions. What a user may *see* is decided by accounts.scope; what a user
may *do* is decided here, by the roles the user holds."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.audit.permissions import READ_AUDIT  # noqa: F401 - imported from here as ever
from chuangwen.core.permissions import has_any_role, role_required  # noqa: F401 - imported from here as ever
from chuangwen.org.models import Person, Unit
from chuangwen.org.permissions import MANAGE_ORG, MANAGE_PEOPLE  # noqa: F401 - imported from here as ever

# Named capabilities, so views say what they need rather than listing roles each time.
# (MANAGE_ORG, MANAGE_PEOPLE and READ_AUDIT live with their apps, below accounts in the layers.)
MANAGE_CAMPAIGN = (Role.OFFICE_ADMIN,)
# The evaluation system and task decomposition: the office imports, assigns and confirms done;
# a unit's admin and liaison report the unit's progress.
MANAGE_INDICATORS = (Role.OFFICE_ADMIN,)
MANAGE_TASKS = (Role.OFFICE_ADMIN,)
REPORT_PROGRESS = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON)
# Questionnaires: the office designs and runs rounds, enumerators (and the office) collect,
# leaders and units read the responses and rates within their scope.
MANAGE_SURVEYS = (Role.OFFICE_ADMIN,)
COLLECT_SURVEYS = (Role.OFFICE_ADMIN, Role.ENUMERATOR)
READ_SURVEY_RESULTS = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
SURVEY_USERS = (*READ_SURVEY_RESULTS, Role.ENUMERATOR)
# Managing logins and memberships: the office for everybody, unit admins for their own units.
MANAGE_USERS = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN)
# The roles a unit admin may grant and take back, in the units it administers (and below).
UNIT_ADMIN_GRANTS = (Role.LIAISON, Role.DUTY_STAFF, Role.ENUMERATOR)


def is_office(user: Any) -> bool:
    return has_any_role(user, (Role.OFFICE_ADMIN,))


def grantable_roles(actor: Any) -> tuple[str, ...]:
    """The roles the actor may grant: every role for the office, a few for unit admins."""
    if is_office(actor):
        return tuple(Role.values)
    if has_any_role(actor, (Role.UNIT_ADMIN,)):
        return tuple(str(role) for role in UNIT_ADMIN_GRANTS)
    return ()


def administered_units(actor: Any) -> QuerySet[Unit]:
    """Units in which the actor may grant roles: everywhere for the office, else the subtrees
    of the units it is unit admin of (not those it is, say, a liaison of)."""
    if not has_any_role(actor, MANAGE_USERS):
        return Unit.objects.none()
    return scoped(Unit.objects.all(), actor, roles=MANAGE_USERS)


def can_grant(actor: Any, unit: Unit, role: str) -> bool:
    """May the actor give (or take back) `role` in `unit`?"""
    return role in grantable_roles(actor) and scope_for(actor, MANAGE_USERS).covers(unit)


def visible_logins(actor: Any) -> QuerySet[User]:
    """Logins the actor sees on the user pages: everybody for the office; for a unit admin,
    the logins holding a role in the units it administers or belonging to their people."""
    if not has_any_role(actor, MANAGE_USERS):
        return User.objects.none()
    if is_office(actor):
        return User.objects.all()
    memberships = scoped(Membership.objects.all(), actor, roles=MANAGE_USERS)
    people = scoped(Person.objects.filter(user__isnull=False), actor, roles=MANAGE_USERS)
    return User.objects.filter(Q(pk__in=memberships.values("user_id")) | Q(pk__in=people.values("user_id")))


def can_manage_user(actor: Any, target: Any) -> bool:
    """May the actor reset the target's password, unlock, deactivate it or change its roles?

    Never oneself (the own account page is for that). The office manages everyone except
    superusers (unless it is one). A unit admin manages a plain login only when every role the
    login holds is one it could grant itself: otherwise resetting a password would hand it the
    powers of, say, an office admin who also happens to be a liaison in its street.
    """
    if not has_any_role(actor, MANAGE_USERS) or target.pk == actor.pk:
        return False
    if is_office(actor):
        return actor.is_superuser or not target.is_superuser
    if target.is_superuser or target.is_staff:
        return False
    memberships = list(target.memberships.select_related("unit"))
    if memberships:
        return all(can_grant(actor, m.unit, m.role) for m in memberships)
    # No roles left: manageable when the login belongs to a person of the admin's units.
    person = getattr(target, "person", None)  # the reverse one-to-one raises AttributeError when absent
    return person is not None and scope_for(actor, MANAGE_USERS).covers(person.unit)
