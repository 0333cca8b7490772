"""What a user may *do* with shops (seeing is decided by accounts.scope on the 包保 unit)."""

from chuangwen.accounts.models import Role

# Grid staff keep the register current from the phone; the unit's liaison and admin too.
EDIT_SHOPS = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON, Role.DUTY_STAFF)
READ_SHOPS = (*EDIT_SHOPS, Role.LEADER, Role.INSPECTOR)
REPORT_AT_SHOP = (Role.OFFICE_ADMIN, Role.UNIT_ADMIN, Role.LIAISON, Role.DUTY_STAFF, Role.INSPECTOR)
MANAGE_SHOP_RULES = (Role.OFFICE_ADMIN,)
