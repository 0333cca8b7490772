"""The periodic escalation job: due-soon reminders, 督办通知书, yellow and red cards, 提级督办.

Run by huey every 15 minutes (tasks.py) or by `chuangwen escalate-problems`. Idempotent: each
step looks at what was already done (reminded_at, the problem's escalation level, existing
cards), so running it twice does nothing new. Escalation writes only its own fields and does
not bump the problem's version: it is not a state transition and must not make a unit's
open form conflict.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core import worktime
from chuangwen.org.models import Unit
from chuangwen.problems import conf, documents, notify
from chuangwen.problems.calendar import work_calendar
from chuangwen.problems.models import (
    RUNNING_STATUSES,
    CardColor,
    CardReason,
    Escalation,
    EventKind,
    Problem,
    ProblemEvent,
    SupervisionNotice,
    UnitCard,
)

ACTOR = "escalation"
LEVELS = {Escalation.NONE: 0, Escalation.NOTICE: 1, Escalation.YELLOW: 2, Escalation.RED: 3}


def run(now: dt.datetime | None = None) -> dict[str, int]:
    """One pass over the running problems; returns what it did, by kind."""
    now = now or timezone.now()
    calendar = work_calendar(fresh=True)
    done: Counter[str] = Counter()
    soon = now + dt.timedelta(hours=conf.get("PROBLEM_DUE_SOON_HOURS"))
    for pk in Problem.objects.filter(
        status__in=RUNNING_STATUSES, deadline__gte=now, deadline__lt=soon, reminded_at__isnull=True
    ).values_list("pk", flat=True):
        done["reminded"] += remind(pk, now)
    for pk in Problem.objects.filter(status__in=RUNNING_STATUSES, deadline__lt=now).values_list(
        "pk", flat=True
    ):
        for step in escalate(pk, now, calendar):
            done[step] += 1
    done.update(repeated_cards(now))
    return dict(done)


def _event(problem: Problem, kind: str, note: str = "", data: dict[str, Any] | None = None) -> None:
    ProblemEvent.objects.create(
        problem=problem,
        actor_name=ACTOR,
        kind=kind,
        from_status=problem.status,
        to_status=problem.status,
        note=note,
        data=data or {},
    )
    log_action(ACTOR, f"problems.problem.{kind}", problem, data or {}, object_repr=f"#{problem.pk}")
    notify.on_event(problem, kind, note)


@transaction.atomic
def remind(pk: int, now: dt.datetime) -> bool:
    problem = Problem.objects.select_for_update().get(pk=pk)
    if problem.reminded_at is not None or problem.status not in RUNNING_STATUSES:
        return False
    problem.reminded_at = now
    problem.save(update_fields=["reminded_at"])
    local = timezone.localtime(problem.deadline)
    _event(problem, EventKind.REMINDED, _("Due at %(time)s.") % {"time": f"{local:%Y-%m-%d %H:%M}"})
    return True


@transaction.atomic
def escalate(pk: int, now: dt.datetime, calendar: worktime.WorkCalendar) -> list[str]:
    """Notice when first overdue; yellow, then red card as the overdue time passes the thresholds."""
    problem = Problem.objects.select_for_update(of=("self",)).select_related("category", "unit").get(pk=pk)
    if (
        problem.status not in RUNNING_STATUSES
        or not problem.deadline
        or problem.deadline >= now
        or not problem.unit_id
    ):
        return []
    tz = timezone.get_current_timezone()
    overdue_hours = worktime.working_hours_between(problem.deadline, now, calendar, tz)
    overdue_days = overdue_hours / calendar.hours_per_day
    steps = []
    level = LEVELS[problem.escalation]
    if level < LEVELS[Escalation.NOTICE]:
        issue_notice(problem, now, overdue_hours)
        steps.append("notice")
    for color, threshold, escalation in (
        (CardColor.YELLOW, conf.get("PROBLEM_YELLOW_CARD_DAYS"), Escalation.YELLOW),
        (CardColor.RED, conf.get("PROBLEM_RED_CARD_DAYS"), Escalation.RED),
    ):
        if overdue_days >= threshold and LEVELS[problem.escalation] < LEVELS[escalation]:
            card = UnitCard.objects.create(
                unit_id=problem.unit_id,
                campaign=Campaign.objects.covering(problem.unit),
                color=color,
                reason=CardReason.OVERDUE,
                problem=problem,
                issued_at=now,
                note=_("Problem #%(id)d overdue by %(days).1f working days.")
                % {"id": problem.pk, "days": overdue_days},
            )
            problem.escalation = escalation
            problem.save(update_fields=["escalation"])
            _event(problem, EventKind.CARD, card.note, {"card": card.pk, "color": color})
            steps.append(color)
    return steps


def issue_notice(problem: Problem, now: dt.datetime, overdue_hours: float) -> SupervisionNotice:
    """A numbered 督办通知书 with its .docx, recorded on the problem's timeline."""
    year = timezone.localtime(now).year
    sequence = SupervisionNotice.objects.filter(number__startswith=f"督办〔{year}〕").count() + 1
    notice = SupervisionNotice.objects.create(
        problem=problem,
        unit_id=problem.unit_id,
        number=f"督办〔{year}〕{sequence}号",
        issued_at=now,
        overdue_hours=round(overdue_hours, 1),
    )
    campaign = Campaign.objects.current()
    office = campaign.office_unit.name if campaign and campaign.office_unit_id else _("The campaign office")
    local = timezone.localtime(now)
    content = documents.render(
        documents.NOTICE,
        {
            "number": notice.number,
            "unit_name": problem.unit.name,
            "problem_id": problem.pk,
            "category": problem.category.name,
            "address": problem.address or "—",
            "deadline": f"{timezone.localtime(problem.deadline):%Y年%m月%d日 %H:%M}",
            "issued_at": f"{local:%Y年%m月%d日 %H:%M}",
            "overdue": _("%(hours).1f working hours") % {"hours": overdue_hours},
            "description": problem.description,
            "reply_by": f"{local + dt.timedelta(days=1):%Y年%m月%d日}",
            "office_name": office,
            "issued_date": f"{local:%Y年%m月%d日}",
        },
    )
    notice.document.save(f"notice-{notice.pk}.docx", ContentFile(content), save=True)
    problem.escalation = Escalation.NOTICE
    problem.save(update_fields=["escalation"])
    _event(problem, EventKind.NOTICE, notice.number, {"notice": notice.pk})
    return notice


def repeated_cards(now: dt.datetime) -> Counter[str]:
    """Cards for units that keep being overdue: enough notices in the window → yellow card;
    enough yellow cards in the window → red card (each at most once per window)."""
    since = now - dt.timedelta(days=conf.get("PROBLEM_REPEAT_WINDOW_DAYS"))
    done: Counter[str] = Counter()
    rules = (
        (
            SupervisionNotice.objects.filter(issued_at__gte=since),
            conf.get("PROBLEM_REPEAT_NOTICES"),
            CardColor.YELLOW,
        ),
        (
            UnitCard.objects.filter(issued_at__gte=since, color=CardColor.YELLOW),
            conf.get("PROBLEM_REPEAT_YELLOWS"),
            CardColor.RED,
        ),
    )
    for source_qs, threshold, color in rules:
        counts = Counter(source_qs.values_list("unit_id", flat=True))
        already = set(
            UnitCard.objects.filter(
                issued_at__gte=since, color=color, reason=CardReason.REPEATED
            ).values_list("unit_id", flat=True)
        )
        for unit_id, count in counts.items():
            if count >= threshold and unit_id not in already:
                card = UnitCard.objects.create(
                    unit_id=unit_id,
                    campaign=Campaign.objects.covering(Unit.objects.get(pk=unit_id)),
                    color=color,
                    reason=CardReason.REPEATED,
                    issued_at=now,
                    note=_("%(count)d escalations within %(days)d days.")
                    % {"count": count, "days": conf.get("PROBLEM_REPEAT_WINDOW_DAYS")},
                )
                log_action(
                    ACTOR,
                    "problems.unit.card",
                    card.unit,
                    {"color": color, "reason": "repeated", "count": count},
                )
                done[f"repeated_{color}"] += 1
    return done
