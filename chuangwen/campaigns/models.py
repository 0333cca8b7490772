"""A campaign (创建周期/年度), its phases and its command structure (指挥部, working groups)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.org.models import Person, Unit


class CampaignLevel(models.TextChoices):
    PREFECTURE = "prefecture", _("Prefecture level and above (地级以上)")
    COUNTY = "county", _("County level (县级)")


class RateBasis(models.TextChoices):
    """What a rectification rate (整改率) divides by. Both are in use in real offices: the
    product's default counts what fell due (到期), seed 002's "1200多个问题…整改率只有82%"
    counts everything found (发现)."""

    DUE = "due", _("Rectified ÷ due (到期口径)")
    FOUND = "found", _("Rectified ÷ found (发现口径)")


class CampaignQuerySet(models.QuerySet):
    def current(self) -> Campaign | None:
        """The campaign marked current, else the most recent one."""
        return self.filter(is_current=True).first() or self.order_by("-year", "-id").first()

    def covering(self, unit: Unit) -> Campaign | None:
        """The campaign a unit's record belongs to: the current one when the unit lies in its
        territory, else the latest whose territory holds the unit (two campaigns over one
        territory never share a record; the current one takes what happens now)."""
        ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
        qs = self.filter(root_unit_id__in=ancestors).order_by("-is_current", "-year", "-id")
        return qs.first()


class Campaign(models.Model):
    """One campaign year inside a creation cycle, with the expected inspection window."""

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(
        _("level"), max_length=20, choices=CampaignLevel.choices, default=CampaignLevel.PREFECTURE
    )
    root_unit = models.ForeignKey(
        Unit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="campaigns"
    )
    office_unit = models.ForeignKey(
        Unit,
        verbose_name=_("campaign office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cycle_start = models.PositiveSmallIntegerField(_("cycle starts"), null=True, blank=True)
    cycle_end = models.PositiveSmallIntegerField(_("cycle ends"), null=True, blank=True)
    inspection_start = models.DateField(_("inspection window opens"), null=True, blank=True)
    inspection_end = models.DateField(_("inspection window closes"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=False)
    rate_basis = models.CharField(
        _("rectification rate counts"), max_length=10, choices=RateBasis.choices, default=RateBasis.DUE
    )
    description = models.TextField(_("description"), blank=True)

    objects = CampaignQuerySet.as_manager()
    # Visible to everyone whose units lie inside the territory (the root is their ancestor).
    scope_field = "^root_unit"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_campaign"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def days_to_inspection(self, today: dt.date | None = None) -> int | None:
        """Whole days until the inspection window opens (0 while it is open; None if unknown)."""
        if not self.inspection_start:
            return None
        today = today or timezone.localdate()
        if self.inspection_end and self.inspection_start <= today <= self.inspection_end:
            return 0
        return (self.inspection_start - today).days

    def current_phase(self, today: dt.date | None = None) -> Phase | None:
        today = today or timezone.localdate()
        return self.phases.filter(start__lte=today, end__gte=today).order_by("seq").first()


class Phase(models.Model):
    """A phase of the campaign (宣传发动 → 突出重点 → 巩固提高 → 考核验收) with dates and a lead unit."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    seq = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=120)
    start = models.DateField(_("starts"))
    end = models.DateField(_("ends"))
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goal = models.TextField(_("main tasks"), blank=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "seq"], name="phase_seq_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="phase_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def status(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.start:
            return "upcoming"
        return "done" if today > self.end else "current"


class DeliverableStatus(models.TextChoices):
    TODO = "todo", _("To do")
    SUBMITTED = "submitted", _("Submitted")
    DONE = "done", _("Accepted")


class PhaseTask(models.Model):
    """A deliverable of a phase (what the phase must produce, numbered as in the plan): a
    responsible unit, a due date, a status and the evidence that it was produced."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("deliverable"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phase_deliverables",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliverableStatus.choices, default=DeliverableStatus.TODO
    )
    evidence = models.FileField(_("evidence file"), upload_to="campaigns/deliverables/%Y/%m/", blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    scope_field = "^phase__campaign__root_unit"

    class Meta:
        verbose_name = _("phase deliverable")
        verbose_name_plural = _("phase deliverables")
        ordering = ["phase", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"

    def due_date(self) -> dt.date:
        """The deliverable's own date, else the end of its phase."""
        return self.due or self.phase.end

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != DeliverableStatus.DONE and self.due_date() < today


class CommandPost(models.Model):
    """A post in the campaign's headquarters (指挥长, 副指挥长, 办公室主任…)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="command_posts")
    title = models.CharField(_("post"), max_length=60)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="command_posts"
    )
    rank = models.PositiveSmallIntegerField(_("order"), default=0)
    duties = models.TextField(_("duties"), blank=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("command post")
        verbose_name_plural = _("command posts")
        ordering = ["campaign", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.person}"


class WorkingGroup(models.Model):
    """A working group (综合协调组, 城市管理组…) with its lead unit, responsible person and duties."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("name"), max_length=60)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_groups"
    )
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_groups",
    )
    duties = models.TextField(_("duties"), blank=True)
    members = models.ManyToManyField(
        Unit, verbose_name=_("member units"), blank=True, related_name="working_groups"
    )
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["campaign", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="working_group_unique"),
        ]

    def __str__(self) -> str:
        return self.name
