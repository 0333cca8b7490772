"""'Needs my attention' items of problems: my inbox due soon and overdue, what awaits my
verification, and for the office the dispatch queue and extension requests."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.scope import scope_for
from chuangwen.core.attention import Attention
from chuangwen.problems import queries
from chuangwen.problems.models import Status
from chuangwen.problems.permissions import DISPATCH, has_any_role


def items(user: Any) -> list[Attention]:
    now = timezone.now()
    found: list[Attention] = []
    inbox_url = reverse("problems:inbox")
    if has_any_role(user, DISPATCH):
        visible = queries.visible(user)
        queue = visible.queue().count()
        if queue:
            found.append(
                Attention(_("Problems waiting for dispatch"), queue, reverse("problems:console"), "warning")
            )
        extensions = visible.filter(status=Status.EXTENSION_REQUESTED).count()
        if extensions:
            found.append(
                Attention(_("Extension requests"), extensions, reverse("problems:console"), "warning")
            )
        overdue = visible.overdue(now).count()
        if overdue:
            found.append(Attention(_("Overdue problems"), overdue, reverse("problems:overdue"), "danger"))
    elif scope_for(user).everything:  # leaders: the campaign's overdue problems, not an inbox
        overdue = queries.visible(user).overdue(now).count()
        if overdue:
            found.append(Attention(_("Overdue problems"), overdue, reverse("problems:overdue"), "danger"))
    else:
        overdue = queries.inbox(user).filter(deadline__lt=now).count()
        if overdue:
            found.append(Attention(_("My problems past their deadline"), overdue, inbox_url, "danger"))
        soon = queries.due_soon(user, now).count()
        if soon:
            found.append(Attention(_("My problems due within a day"), soon, inbox_url, "warning"))
    to_verify = queries.to_verify(user).count()
    if to_verify:
        found.append(Attention(_("Problems awaiting my verification"), to_verify, inbox_url, "info"))
    return found
