"""Unread notifications on the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.core.attention import Attention
from chuangwen.notifications.models import Notification


def items(user: Any) -> list[Attention]:
    count = Notification.objects.filter(user=user).unread().count()
    if not count:
        return []
    return [Attention(_("Unread notifications"), count, reverse("notifications:list") + "?unread=1")]
