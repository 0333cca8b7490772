"""Who may see and act on the background jobs: the office, which runs the platform."""

from chuangwen.accounts.models import Role

SEE_JOBS = (Role.OFFICE_ADMIN,)
