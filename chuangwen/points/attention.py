"""'Needs my attention' from duty: my shifts today not yet checked in; missed shifts yesterday."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scoped
from chuangwen.core.attention import Attention
from chuangwen.points.duty_reports import attendance
from chuangwen.points.models import DutyShift
from chuangwen.points.permissions import MANAGE_DUTY
from chuangwen.points.visibility import person_of


def items(user: Any) -> list[Attention]:
    found: list[Attention] = []
    today = timezone.localdate()
    person = person_of(user)
    if person is not None:
        todo = DutyShift.objects.filter(people=person, date=today).exclude(checkins__person=person).count()
        if todo:
            found.append(Attention(_("My duty shifts today"), todo, reverse("points:my_duty"), "warning"))
    if has_any_role(user, MANAGE_DUTY):
        yesterday = today - dt.timedelta(days=1)
        missed = len(attendance(scoped(DutyShift.objects.filter(date=yesterday), user)).missed)
        if missed:
            url = reverse("points:attendance") + f"?start={yesterday:%Y-%m-%d}&end={yesterday:%Y-%m-%d}"
            found.append(Attention(_("Duty shifts missed yesterday"), missed, url, "danger"))
    return found
