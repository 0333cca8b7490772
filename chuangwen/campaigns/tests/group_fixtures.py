"""Working groups for the `?group=` filter tests of the task board, points list and problems inbox.

`two_groups(world)` makes 商家店铺组, led by street A with street B as a member (so it owns both
streets' rows), and 社区工作组, led by street B alone.
"""

from __future__ import annotations

from typing import Any

from chuangwen.campaigns.models import WorkingGroup


def two_groups(world: Any) -> tuple[WorkingGroup, WorkingGroup]:
    both = WorkingGroup.objects.create(campaign=world.campaign, name="商家店铺组", lead_unit=world.street_a)
    both.members.add(world.street_b)
    only_b = WorkingGroup.objects.create(campaign=world.campaign, name="社区工作组", lead_unit=world.street_b)
    return both, only_b


# A value that is no group and one too big for any id column: each answered without a 500.
NONSENSE = ("abc", "-1", "122373713130106355712")
