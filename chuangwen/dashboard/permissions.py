"""Who may open the leadership dashboard (seeing which slice is decided by scope).

Leaders and the office read the whole campaign. A street's unit admin and liaison read their
street's slice (the snapshot row of a street is scoped to that street, so the scoping helper
hands them exactly the slices of the streets they hold a role in, and nothing of a sibling).
Inspectors, duty staff and enumerators have their own pages and get no dashboard.
"""

from chuangwen.accounts.models import Role

VIEW_DASHBOARD = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
# Recomputing reads the big tables for seconds: the office and leaders may ask for it.
REFRESH_DASHBOARD = (Role.OFFICE_ADMIN, Role.LEADER)
