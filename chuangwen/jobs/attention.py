"""Home-page item for the office: background jobs that failed or were set aside."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scoped
from chuangwen.core.attention import Attention
from chuangwen.jobs.models import NEEDS_ATTENTION, JobRun
from chuangwen.jobs.permissions import SEE_JOBS


def items(user: Any) -> list[Attention]:
    if not getattr(user, "is_authenticated", False) or not has_any_role(user, SEE_JOBS):
        return []
    count = scoped(JobRun.objects.filter(state__in=NEEDS_ATTENTION), user).count()
    if not count:
        return []
    return [Attention(_("Background jobs that failed"), count, reverse("jobs:list"), "danger")]
