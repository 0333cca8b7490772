"""What a user may *do* with star ratings (seeing is decided by accounts.scope).

The stage decides who acts (see stars.services.can_fill / can_review / can_accept): the
community's own people fill the self-assessment, a unit admin of the street or township above
it reviews, the county/district office accepts."""

from chuangwen.accounts.models import Role

FILL = (Role.UNIT_ADMIN, Role.LIAISON)
REVIEW = (Role.UNIT_ADMIN,)
ACCEPT = (Role.OFFICE_ADMIN,)
MANAGE_STARS = (Role.OFFICE_ADMIN,)
READ_RATINGS = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
