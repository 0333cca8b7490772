"""Who hears about a problem's transition, sent after the transaction commits.

The in-app notification centre (chuangwen.notifications) is used when installed; otherwise
an email goes to the recipients that have an address. A failed delivery never undoes a
transition: it runs after commit.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.problems.models import EventKind, Problem

log = logging.getLogger(__name__)

TO_UNIT = {
    EventKind.DISPATCHED,
    EventKind.REASSIGNED,
    EventKind.REJECTED,
    EventKind.EXTENSION_APPROVED,
    EventKind.EXTENSION_REFUSED,
    EventKind.REMINDED,
    EventKind.NOTICE,
    EventKind.CARD,
    EventKind.SUPERVISED,
}
TO_OFFICE = {EventKind.RETURNED, EventKind.EXTENSION_REQUESTED, EventKind.REPORTED}
TO_VERIFIERS = {EventKind.SUBMITTED}
TO_REPORTER = {EventKind.VERIFIED, EventKind.NOT_APPLICABLE, EventKind.DUPLICATE}
UNIT_ROLES = (Role.UNIT_ADMIN, Role.LIAISON)


def on_event(problem: Problem, kind: str, note: str = "") -> None:
    """Queue the notification of one event; it is sent once the transaction commits."""
    if kind not in TO_UNIT | TO_OFFICE | TO_VERIFIERS | TO_REPORTER:
        return
    problem_id, unit_id, verify_unit_id, reporter_id = (
        problem.pk,
        problem.unit_id,
        problem.verify_unit_id,
        problem.reporter_id,
    )
    label = EventKind(kind).label
    transaction.on_commit(
        lambda: send(problem_id, kind, str(label), note, unit_id, verify_unit_id, reporter_id)
    )


def recipients(
    kind: str, unit_id: int | None, verify_unit_id: int | None, reporter_id: int | None
) -> list[User]:
    if kind in TO_UNIT and unit_id:
        members = Membership.objects.filter(unit_id=unit_id, role__in=UNIT_ROLES)
    elif kind in TO_VERIFIERS and verify_unit_id:
        members = Membership.objects.filter(unit_id=verify_unit_id, role=Role.INSPECTOR)
    elif kind in TO_OFFICE or kind in TO_VERIFIERS:
        members = Membership.objects.filter(role=Role.OFFICE_ADMIN)
    elif kind in TO_REPORTER and reporter_id:
        return list(User.objects.filter(pk=reporter_id, is_active=True))
    else:
        return []
    # Ids first: many units have nobody with a login yet, and then no user query is needed.
    ids = set(members.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True)) if ids else []


def send(
    problem_id: int,
    kind: str,
    label: str,
    note: str,
    unit_id: int | None,
    verify_unit_id: int | None,
    reporter_id: int | None,
) -> int:
    users = recipients(kind, unit_id, verify_unit_id, reporter_id)
    if not users:
        return 0
    title = _("Problem #%(id)d: %(event)s") % {"id": problem_id, "event": label}
    url = reverse("problems:detail", args=[problem_id])
    if apps.is_installed("chuangwen.notifications"):
        from chuangwen.notifications.services import notify

        return len(notify(users, title, note, url))
    addresses = sorted({u.email for u in users if u.email})
    if not addresses:
        return 0
    try:
        send_mail(title, f"{note}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, addresses)
    except OSError:
        log.exception("problem notification email failed")
        return 0
    return len(addresses)
