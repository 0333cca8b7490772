from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """Whole minutes of a duration (the lockout cool-off), 0 when unknown."""
    if not isinstance(value, dt.timedelta):
        return 0
    return int(value.total_seconds() // 60)
