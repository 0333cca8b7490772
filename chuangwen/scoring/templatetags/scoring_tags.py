"""Template helpers of the score pages."""

from typing import Any

from django import template

from chuangwen.accounts.permissions import has_any_role
from chuangwen.scoring.permissions import READ_CONFIG

register = template.Library()


@register.filter
def reads_config(user: Any) -> bool:
    """Whether the user may open the scoring rules and 部门评价 pages (the office and leaders)."""
    return has_any_role(user, READ_CONFIG)
