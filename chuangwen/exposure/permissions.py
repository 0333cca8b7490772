"""What a user may *do* with praise/criticism lists and the exposure board (seeing is
accounts.scope)."""

from chuangwen.accounts.models import Role

READ_ROLLS = (Role.OFFICE_ADMIN, Role.LEADER, Role.UNIT_ADMIN, Role.LIAISON)
SEE_DRAFTS = (Role.OFFICE_ADMIN, Role.LEADER)  # units see a list once it is published
MANAGE = (Role.OFFICE_ADMIN,)
READ_BOARD = (Role.OFFICE_ADMIN, Role.LEADER)
