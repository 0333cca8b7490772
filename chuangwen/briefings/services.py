"""Generating the daily and weekly reports, and the schedule the worker follows.

`generate()` is idempotent: one report per campaign, kind and day (a second call, from the
worker or the office's button, returns the first). After commit the summary goes to the chat
webhook (settings.NOTIFY_WEBHOOK_URL) and, for a weekly report, each unit's liaisons get a
notification with their unit's own figures.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Membership, Role
from chuangwen.audit.services import log_action
from chuangwen.briefings import compute
from chuangwen.briefings.models import Briefing, BriefingKind, Schedule
from chuangwen.campaigns.models import Campaign
from chuangwen.core.errors import DomainError

log = logging.getLogger(__name__)


def generate(
    campaign: Campaign, kind: str, day: dt.date, actor: Any = None, request: Any = None
) -> tuple[Briefing, bool]:
    """The report of this kind for this day, generated now unless it exists. (report, created)."""
    if kind not in BriefingKind.values:
        raise DomainError(_("Unknown kind of report."))
    if day >= timezone.localdate():
        raise DomainError(_("A report covers days that are over: choose yesterday or earlier."))
    existing = Briefing.objects.filter(campaign=campaign, kind=kind, day=day).first()
    if existing is not None:
        return existing, False
    data = compute.gather(campaign, kind, day)
    try:
        # Stored text (the summary, the liaisons' notifications) in the platform's language,
        # whoever pressed the button.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            briefing = Briefing(campaign=campaign, kind=kind, day=day, data=data, created_by=actor)
            briefing.summary = compute.summary(briefing)
            briefing.save()
            log_action(actor, "briefings.generate", briefing, {"kind": kind, "day": day.isoformat()}, request)
            if kind == BriefingKind.WEEKLY:
                _notify_liaisons(briefing)
            pk = briefing.pk
            transaction.on_commit(lambda: post(pk))
    except IntegrityError:  # generated concurrently by the worker and the office: keep the first
        return Briefing.objects.get(campaign=campaign, kind=kind, day=day), False
    return briefing, True


def _notify_liaisons(briefing: Briefing) -> int:
    """Each unit's liaisons get their unit's own weekly figures (once per report: keyed)."""
    from chuangwen.notifications.services import notify

    by_unit: dict[int, list[Any]] = {}
    members = Membership.objects.filter(
        role=Role.LIAISON, unit_id__in=[r["unit_id"] for r in briefing.data.get("units", [])]
    ).select_related("user")
    for m in members:
        by_unit.setdefault(m.unit_id, []).append(m.user)
    sent = 0
    for unit_id, users in by_unit.items():
        text = compute.unit_summary(briefing.data, unit_id)
        if text is None:
            continue
        sent += len(
            notify(
                users,
                _("Your unit's weekly figures (周调度)"),
                text,
                key=f"briefing-weekly-{briefing.pk}-{unit_id}",
            )
        )
    return sent


def post(briefing_id: int) -> bool:
    """Post a report's summary and download link to the chat webhook; marks it posted."""
    from chuangwen.notifications.services import post_webhook

    briefing = Briefing.objects.filter(pk=briefing_id).select_related("campaign").first()
    if briefing is None or not settings.NOTIFY_WEBHOOK_URL:
        return False
    ok = post_webhook(
        settings.NOTIFY_WEBHOOK_URL,
        {
            "title": f"{briefing.get_kind_display()} {briefing.day.isoformat()}",
            "body": briefing.summary,
            "url": reverse("briefings:download", kwargs={"pk": briefing.pk, "fmt": "pdf"}),
        },
    )
    if ok:
        Briefing.objects.filter(pk=briefing.pk).update(posted=True)
    return ok


def schedule_of(campaign: Campaign) -> Schedule:
    """The campaign's schedule (the defaults until the office changes them)."""
    return Schedule.objects.filter(campaign=campaign).first() or Schedule(campaign=campaign)


def set_schedule(
    campaign: Campaign, actor: Any, *, enabled: bool, time_of_day: dt.time, weekday: int, request: Any = None
) -> Schedule:
    with transaction.atomic():
        schedule, _created = Schedule.objects.select_for_update().get_or_create(campaign=campaign)
        before = {
            "enabled": schedule.enabled,
            "time": schedule.time_of_day.strftime("%H:%M"),
            "weekday": schedule.weekday,
        }
        schedule.enabled, schedule.time_of_day, schedule.weekday = enabled, time_of_day, weekday
        schedule.save()
        log_action(
            actor,
            "briefings.schedule",
            schedule,
            {
                "before": before,
                "after": {"enabled": enabled, "time": time_of_day.strftime("%H:%M"), "weekday": weekday},
            },
            request,
        )
    return schedule


def due(schedule: Schedule, now: dt.datetime) -> list[tuple[str, dt.date]]:
    """What the schedule asks for at `now`: the daily report of yesterday once the time of day
    has come, and the weekly one (seven days up to yesterday) on its weekday."""
    local = timezone.localtime(now)
    if not schedule.enabled or local.time() < schedule.time_of_day:
        return []
    yesterday = local.date() - dt.timedelta(days=1)
    wanted = [(BriefingKind.DAILY.value, yesterday)]
    if local.weekday() == schedule.weekday:
        wanted.append((BriefingKind.WEEKLY.value, yesterday))
    return wanted


def run_schedules(now: dt.datetime | None = None) -> int:
    """Generate every report that is due and missing, for the current campaigns. Returns how
    many were generated (0 when run again)."""
    now = now or timezone.now()
    made = 0
    for campaign in Campaign.objects.filter(is_current=True).select_related("root_unit"):
        for kind, day in due(schedule_of(campaign), now):
            try:
                _b, created = generate(campaign, kind, day)
            except DomainError:
                continue
            made += created
    return made
