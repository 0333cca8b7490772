"""Daily reminders of phase deliverables due within three days or overdue, to the admins and
liaisons of the responsible unit (the office, when a deliverable has no unit)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.campaigns.models import Campaign, DeliverableStatus, PhaseTask
from chuangwen.notifications.services import notify

DUE_SOON_DAYS = 3
OWNER_ROLES = (Role.UNIT_ADMIN, Role.LIAISON)


def due_deliverables(today: dt.date) -> list[PhaseTask]:
    """Open deliverables of current campaigns due by the horizon (their own date, else the
    end of their phase), overdue ones included."""
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return list(
        PhaseTask.objects.filter(phase__campaign__in=Campaign.objects.filter(is_current=True))
        .exclude(status=DeliverableStatus.DONE)
        .filter(Q(due__lte=horizon) | Q(due__isnull=True, phase__end__lte=horizon))
        .select_related("phase", "unit")
    )


def _recipients(items: list[PhaseTask]) -> dict[int | None, set[User]]:
    units = {item.unit_id for item in items if item.unit_id}
    found: dict[int | None, set[User]] = defaultdict(set)
    for membership in Membership.objects.filter(
        unit_id__in=units, role__in=OWNER_ROLES, user__is_active=True
    ).select_related("user"):
        found[membership.unit_id].add(membership.user)
    found[None] = set(User.objects.filter(memberships__role=Role.OFFICE_ADMIN, is_active=True).distinct())
    return found


def send_deliverable_reminders(today: dt.date | None = None) -> int:
    """Notify once per deliverable and day (safe to re-run)."""
    today = today or timezone.localdate()
    items = due_deliverables(today)
    if not items:
        return 0
    who = _recipients(items)
    sent = 0
    for item in items:
        users = who.get(item.unit_id) or who[None]
        due = item.due_date()
        if due < today:
            title = _("Phase deliverable overdue: %(text)s") % {"text": item.text[:80]}
        else:
            title = _("Phase deliverable due %(date)s: %(text)s") % {
                "date": due.isoformat(),
                "text": item.text[:80],
            }
        url = f"{reverse('campaigns:calendar')}?campaign={item.phase.campaign_id}"
        sent += len(
            notify(users, title, item.phase.name, url, key=f"deliverable:{item.pk}:{today.isoformat()}")
        )
    return sent
