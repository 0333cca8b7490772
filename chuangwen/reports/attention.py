"""The leader of a working group sees the group's open tasks and problems on the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.core.attention import Attention
from chuangwen.reports.groups import led_groups, owned


def items(user: Any) -> list[Attention]:
    found = []
    for group in led_groups(user):
        lists = owned(group, user, open_only=True)
        url = reverse("core:group_work", kwargs={"pk": group.pk})
        for kind, label in (
            ("tasks", _("Open tasks of %(group)s")),
            ("problems", _("Open problems of %(group)s")),
        ):
            count = lists[kind].count()
            if count:
                found.append(
                    Attention(label % {"group": group.name}, count, f"{url}?kind={kind}&open=1", "warning")
                )
    return found
