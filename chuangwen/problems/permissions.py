"""Who may do what with problems. What a user may *see* is decided by accounts.scope.

Visibility (Problem.scope_field = unit, verify_unit, reporter_unit):
- the office and leaders see every problem, including the dispatch queue (no unit yet);
- a unit's people see the problems their unit (or a unit below it) answers for;
- inspectors see the problems their team verifies (`verify_unit`, set to the reporting
  inspector's unit at report time, or by the office when it dispatches) and those they filed;
- a reporter's unit keeps seeing what its people reported, so a grid worker can follow it;
- a sibling street sees nothing of another street's problems.
"""

from __future__ import annotations

from chuangwen.accounts.models import Role
from chuangwen.accounts.permissions import has_any_role, role_required

__all__ = ["has_any_role", "role_required"]

REPORT = (
    Role.OFFICE_ADMIN,
    Role.INSPECTOR,
    Role.UNIT_ADMIN,
    Role.LIAISON,
    Role.DUTY_STAFF,
    Role.ENUMERATOR,
)
# The office dispatches, reassigns, force-assigns, approves extensions, merges duplicates,
# marks problems not applicable, edits the holiday calendar and imports 12345 work orders.
DISPATCH = (Role.OFFICE_ADMIN,)
# A responsible unit's people accept, return, rectify and ask for more time.
HANDLE = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON, Role.DUTY_STAFF)
VERIFY = (Role.OFFICE_ADMIN, Role.INSPECTOR)
# Rates, the overdue list and the ledgers: each sees its own scope.
READ_RATES = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON, Role.INSPECTOR)
EXPORT = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN)
