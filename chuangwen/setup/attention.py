"""The office's home keeps what setup left empty (no points, no tasks, no duty rosters…) until
it is filled: one line per gap, each linking to where it is filled."""

from __future__ import annotations

from typing import Any

from chuangwen.accounts.permissions import MANAGE_CAMPAIGN, has_any_role
from chuangwen.core.attention import Attention
from chuangwen.setup.services import gaps


def items(user: Any) -> list[Attention]:
    if not has_any_role(user, MANAGE_CAMPAIGN):
        return []
    return [Attention(label=gap.label, count=0, url=gap.url, level="secondary") for gap in gaps()]
