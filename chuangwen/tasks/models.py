"""Task decomposition (任务分解表): tasks per indicator, the units that own them, milestones,
and the monthly progress reports. A task's state is derived (see TaskQuerySet.with_state)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign
from chuangwen.core.storage import fresh_name
from chuangwen.indicators.models import Indicator, Method
from chuangwen.org.models import Person, Unit
from chuangwen.tasks.periods import month_end, month_start, quarter_end, quarter_start


class Cadence(models.TextChoices):
    ONCE = "once", _("Once, by the deadline")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    NAMED_DATES = "named_dates", _("On named dates (3·15, 质量月…)")
    ONGOING = "ongoing", _("Ongoing (长期坚持)")


class TaskState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit (牵头)")
    RESPONSIBLE = "responsible", _("Responsible unit (责任)")
    COOPERATING = "cooperating", _("Cooperating unit (配合)")


# Cadences whose reports are due each period; the others run to a deadline.
PERIODIC = (Cadence.MONTHLY, Cadence.ONGOING, Cadence.QUARTERLY)


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> TaskQuerySet:
        """Tasks the user may see: those assigned to a unit in the user's scope.

        Tasks reach units through their assignments (a reverse relation), so the scope is
        applied to TaskAssignment by the scoping helper and tasks are selected by id: no
        duplicates, and the office (scope "everything") gets the plain queryset.
        """
        from chuangwen.accounts.scope import scope_for, scoped

        if scope_for(user).everything:
            return self
        return self.filter(pk__in=scoped(TaskAssignment.objects.all(), user).values("task_id"))

    def with_state(self, today: dt.date | None = None) -> TaskQuerySet:
        """Annotate `state` (a TaskState value) and `due` (the date the next report or the
        deadline falls due), computed in the database so boards can filter and count by them.

        done        — the office confirmed it (done_confirmed_at is set);
        overdue     — the deadline has passed, or a monthly/quarterly task's previous period
                      ended (after the task began) without any progress report;
        in_progress — at least one progress report;
        not_started — none.
        """
        today = today or timezone.localdate()
        this_month, this_quarter = month_start(today), quarter_start(today)
        prev_month = month_start(this_month - dt.timedelta(days=1))
        prev_quarter = quarter_start(this_quarter - dt.timedelta(days=1))
        reports = ProgressReport.objects.filter(task=OuterRef("pk"))
        missed_month = Q(cadence__in=[Cadence.MONTHLY, Cadence.ONGOING], starts_on__lt=this_month) & ~Exists(
            reports.filter(month__gte=prev_month, month__lt=this_month)
        )
        missed_quarter = Q(cadence=Cadence.QUARTERLY, starts_on__lt=this_quarter) & ~Exists(
            reports.filter(month__gte=prev_quarter, month__lt=this_quarter)
        )
        return self.annotate(
            state=Case(
                When(done_confirmed_at__isnull=False, then=Value(TaskState.DONE)),
                When(Q(deadline__lt=today) | missed_month | missed_quarter, then=Value(TaskState.OVERDUE)),
                When(Exists(reports), then=Value(TaskState.IN_PROGRESS)),
                default=Value(TaskState.NOT_STARTED),
                output_field=models.CharField(),
            ),
            due=Case(
                When(cadence__in=[Cadence.MONTHLY, Cadence.ONGOING], then=Value(month_end(today))),
                When(cadence=Cadence.QUARTERLY, then=Value(quarter_end(today))),
                When(cadence=Cadence.YEARLY, deadline__isnull=True, then=Value(dt.date(today.year, 12, 31))),
                default=F("deadline"),
                output_field=models.DateField(),
            ),
        )


class Task(models.Model):
    """A piece of work decomposed from an indicator, owned by units through assignments."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=300)
    requirement = models.TextField(_("requirement"), blank=True)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices, blank=True)
    units = models.ManyToManyField(Unit, through="TaskAssignment", related_name="tasks", blank=True)
    leader_text = models.CharField(_("responsible leader"), max_length=200, blank=True)
    leader = models.ForeignKey(
        Person,
        verbose_name=_("responsible leader (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_tasks",
    )
    people_text = models.CharField(_("responsible people"), max_length=300, blank=True)
    people = models.ManyToManyField(
        Person, verbose_name=_("responsible people"), blank=True, related_name="tasks"
    )
    cadence = models.CharField(_("cadence"), max_length=12, choices=Cadence.choices, default=Cadence.ONCE)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline as written"), max_length=200, blank=True)
    schedule = models.JSONField(_("schedule"), default=dict, blank=True)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    arrangements = models.TextField(_("monthly arrangements"), blank=True)
    material_requirement = models.TextField(_("material requirements (材料审核具体要求)"), blank=True)
    source_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    source_row = models.PositiveIntegerField(null=True, blank=True, editable=False)
    done_confirmed_at = models.DateTimeField(_("confirmed done at"), null=True, blank=True)
    done_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()
    # No scope_field: a task reaches units through its assignments (a reverse relation), so
    # pages and the API select tasks with Task.objects.visible_to(user), built on the helper.
    # A working group owns its campaign's tasks assigned to its units (campaigns.groups.owned_by).
    group_unit_field = "assignments__unit"
    group_campaign_field = "campaign"

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["campaign", "source_row", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "source_key"], condition=~Q(source_key=""), name="task_source_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "method"], name="task_campaign_method_idx"),
            models.Index(fields=["deadline"], name="task_deadline_idx"),
            models.Index(fields=["cadence", "done_confirmed_at"], name="task_cadence_done_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def next_due(self, today: dt.date | None = None) -> dt.date | None:
        """The next date something is due: the deadline, the period end, or the next named date."""
        today = today or timezone.localdate()
        if self.cadence in (Cadence.MONTHLY, Cadence.ONGOING):
            return month_end(today)
        if self.cadence == Cadence.QUARTERLY:
            return quarter_end(today)
        if self.cadence == Cadence.NAMED_DATES:
            dates = sorted(dt.date.fromisoformat(d) for d in self.schedule.get("dates", []))
            upcoming = [d for d in dates if d >= today]
            return upcoming[0] if upcoming else self.deadline
        if self.cadence == Cadence.YEARLY and self.deadline is None:
            return dt.date(today.year, 12, 31)
        return self.deadline


class TaskAssignment(models.Model):
    """A unit's part in a task: lead (牵头), responsible (责任) or cooperating (配合)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="task_assignments"
    )
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    note = models.CharField(_("note"), max_length=120, blank=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        ordering = ["task", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_assignment_unique")]
        indexes = [models.Index(fields=["unit", "task"], name="assignment_unit_task_idx")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}"


class TaskMilestone(models.Model):
    """A dated step from the monthly arrangements ("4月：…；5月：…")."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField(_("order"))
    month = models.DateField(_("month"), null=True, blank=True, help_text=_("first day of the month"))
    label = models.CharField(_("when"), max_length=40, blank=True)
    text = models.TextField(_("arrangement"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "seq"]
        constraints = [models.UniqueConstraint(fields=["task", "seq"], name="milestone_seq_unique")]

    def __str__(self) -> str:
        return f"{self.label} {self.text[:40]}"

    @property
    def due(self) -> dt.date | None:
        return month_end(self.month) if self.month else None


class ProgressReport(models.Model):
    """A unit's progress on a task for one month; late when submitted after that month's end."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    month = models.DateField(_("month"), help_text=_("first day of the month reported on"))
    text = models.TextField(_("progress"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-month", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "month"], name="progress_report_unique")
        ]
        indexes = [models.Index(fields=["task", "month"], name="report_task_month_idx")]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit} · {self.month:%Y-%m}"

    @property
    def is_late(self) -> bool:
        return timezone.localdate(self.submitted_at) > month_end(self.month)


def attachment_path(instance: ProgressAttachment, filename: str) -> str:
    # Random: never the uploaded name (paths, odd characters), never the content's hash (two
    # reports with the same file would share one object on S3). Uploads go through core.storage.
    return fresh_name("tasks/reports", instance.extension)


class ProgressAttachment(models.Model):
    """A file backing a progress report, accepted by content (magic bytes) and size."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_field = "report__unit"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.original_name
