"""Meetings of the campaign's beat: 调度会, 督查例会, 专题会.

A meeting has a date, a chair, the units invited (and whether each came), a brief prepared
from the platform's figures (frozen into `brief` when the meeting is marked held), minutes and
numbered decisions (议定事项). A decision is addressed to one unit with a deadline and becomes,
in the same step, a task or a problem of that unit, or stays a plain action item the office
marks done. The next meeting's brief lists the previous meeting's decisions and their state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.problems.models import FINAL_STATUSES


class MeetingKind(models.TextChoices):
    DISPATCH = "dispatch", _("Dispatch meeting (调度会)")
    SUPERVISION = "supervision", _("Supervision meeting (督查例会)")
    SPECIAL = "special", _("Special meeting (专题会)")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class DecisionKind(models.TextChoices):
    ACTION = "action", _("Action item")
    TASK = "task", _("Task")
    PROBLEM = "problem", _("Problem")


class DecisionState(models.TextChoices):
    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> MeetingQuerySet:
        """Meetings the user may read: all of them for the office and leaders (scope
        "everything"); for a unit's people, those that invited their unit (or a unit below it)
        or addressed a decision to it. Reached through reverse relations, so the scoping helper
        is applied to Attendance and Decision and meetings are selected by id."""
        from chuangwen.accounts.scope import scope_for, scoped

        if scope_for(user).everything:
            return self
        invited = scoped(Attendance.objects.all(), user).values("meeting_id")
        addressed = scoped(Decision.objects.all(), user).values("meeting_id")
        return self.filter(Q(pk__in=invited) | Q(pk__in=addressed))


class Meeting(models.Model):
    """One meeting: when, who chaired, who was invited and came, the brief, minutes, decisions."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    chair = models.CharField(_("chair"), max_length=100)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    # The brief as it stood when the meeting was marked held (the live brief until then).
    brief = models.JSONField(null=True, blank=True, editable=False)
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["campaign", "held_on"], name="meeting_campaign_date_idx")]

    def __str__(self) -> str:
        return self.title

    def previous(self) -> Meeting | None:
        """The campaign's meeting before this one (any kind): its decisions are checked now."""
        return (
            Meeting.objects.filter(campaign_id=self.campaign_id)
            .filter(Q(held_on__lt=self.held_on) | Q(held_on=self.held_on, pk__lt=self.pk))
            .order_by("-held_on", "-id")
            .first()
        )


class Attendance(models.Model):
    """A unit invited to a meeting; `attended` is None until the office records who came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendee = models.CharField(_("who came"), max_length=100, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["meeting", "unit"], name="meeting_attendance_unique")]
        indexes = [models.Index(fields=["unit", "meeting"], name="meeting_attendance_unit_idx")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.unit_id}"


class DecisionQuerySet(models.QuerySet):
    def done_q(self) -> Q:
        return (
            Q(done_at__isnull=False)
            | Q(task__done_confirmed_at__isnull=False)
            | Q(problem__status__in=FINAL_STATUSES)
        )

    def open(self) -> DecisionQuerySet:
        """Decisions not yet carried out (the task confirmed, the problem closed, or marked done)."""
        return self.exclude(self.done_q())


class Decision(models.Model):
    """A numbered decision of a meeting (议定事项), addressed to one unit with a deadline; its
    task or problem carries it out, and its state follows theirs."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("agreed item"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    kind = models.CharField(_("carried out as"), max_length=10, choices=DecisionKind.choices)
    task = models.ForeignKey(
        "tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_decisions"
    )
    problem = models.ForeignKey(
        "problems.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_decisions"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()
    scope_field = "unit"

    class Meta:
        verbose_name = _("agreed item")
        verbose_name_plural = _("agreed items")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="meeting_decision_number")]
        indexes = [models.Index(fields=["unit", "deadline"], name="meeting_decision_unit_idx")]

    def __str__(self) -> str:
        return f"{self.meeting_id}-{self.number}"

    def state(self, today: dt.date | None = None) -> str:
        """Done when its task is confirmed, its problem closed or the office marked it done;
        overdue past the deadline; open otherwise. Reads the related task and problem (select
        them with the decision)."""
        if self.done_at is not None:
            return DecisionState.DONE
        if self.task_id and self.task and self.task.done_confirmed_at is not None:
            return DecisionState.DONE
        if self.problem_id and self.problem and self.problem.status in FINAL_STATUSES:
            return DecisionState.DONE
        today = today or timezone.localdate()
        return DecisionState.OVERDUE if self.deadline < today else DecisionState.OPEN

    def get_state_display(self, today: dt.date | None = None) -> str:
        return str(DecisionState(self.state(today)).label)
