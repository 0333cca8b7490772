"""The problem ticket (问题) and its timeline: the closed loop 发现 → 交办 → 整改 → 复核 → 销号."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.core.text import mask_contact, mask_phone


class Source(models.TextChoices):
    INSPECTION = "inspection", _("Inspection (督查/测评)")
    PATROL = "patrol", _("Patrol (巡查)")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    CITIZEN = "citizen", _("Citizen report (随手拍)")
    HIGHER_SUPERVISION = "higher_supervision", _("Higher-level supervision")
    MEDIA = "media", _("Media exposure")
    SECRET_VISIT = "secret_visit", _("Provincial secret visit (暗访)")


class Channel(models.TextChoices):
    """How the problem entered the system (the source says where it was found)."""

    STAFF = "staff", _("Staff page")
    API = "api", _("API")
    PUBLIC = "public", _("Public report page")
    OPEN311 = "open311", _("Open311")
    IMPORT = "import", _("Spreadsheet import")


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Fix at once (立行立改, 24 h)")
    URGENT = "urgent", _("Urgent (half the time limit)")
    NORMAL = "normal", _("Normal")


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    DISPATCHED = "dispatched", _("Dispatched")
    ACCEPTED = "accepted", _("Accepted")
    RECTIFYING = "rectifying", _("Being rectified")
    SUBMITTED = "submitted", _("Awaiting verification")
    CLOSED = "closed", _("Closed (verified)")
    RETURNED = "returned", _("Returned to the office")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    DUPLICATE = "duplicate", _("Duplicate")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


FINAL_STATUSES = (Status.CLOSED, Status.DUPLICATE, Status.NOT_APPLICABLE)
OPEN_STATUSES = tuple(s for s in Status.values if s not in FINAL_STATUSES)
# The office's dispatch queue: nobody answers for these yet.
QUEUE_STATUSES = (Status.REPORTED, Status.RETURNED)
# The unit holds the problem and its clock runs (submitted stops the clock until verification).
RUNNING_STATUSES = (Status.DISPATCHED, Status.ACCEPTED, Status.RECTIFYING, Status.EXTENSION_REQUESTED)


class RoutedBy(models.TextChoices):
    POINT = "point", _("Point's responsible unit")
    GRID = "grid", _("Grid")
    ROAD = "road", _("Road chief")
    CATEGORY = "category", _("Category's default unit")
    OFFICE = "office", _("Office dispatch queue")
    MANUAL = "manual", _("Assigned by the office")


class Escalation(models.TextChoices):
    NONE = "", _("None")
    NOTICE = "notice", _("Supervision notice (督办通知书)")
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class ProblemQuerySet(models.QuerySet):
    def open(self) -> ProblemQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> ProblemQuerySet:
        return self.filter(status__in=RUNNING_STATUSES, deadline__lt=now or timezone.now())

    def queue(self) -> ProblemQuerySet:
        return self.filter(status__in=QUEUE_STATUSES)


class Problem(models.Model):
    """One problem found in the street, on an inspection, by a citizen or on the hotline.

    Visibility (see accounts.scope): the responsible unit and the units above it; the unit
    whose inspectors verify it (`verify_unit`); and the unit of the staff member who reported
    it (`reporter_unit`), so a grid worker can follow what they filed. Problems in the dispatch
    queue have no unit yet and are seen by the office (and the reporter's unit) only.

    `point_ref` holds the point's identifier as reported until the points app exists; the
    points app will add a foreign key beside it and register a routing resolver
    (problems.routing.register_point_resolver) — see docs/problems.md.

    `version` grows by one at every transition: a form or API call carries the version it was
    shown, and a stale one is refused with a conflict (optimistic concurrency).
    """

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.STAFF)
    category = models.ForeignKey(
        "problems.ProblemCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True)
    lng = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True)
    point_ref = models.CharField(_("point"), max_length=64, blank=True, db_index=True)
    grid = models.ForeignKey(
        "org.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    road = models.ForeignKey(
        "org.Road", verbose_name=_("road"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The street-front shop the problem was found at (门前三包); set by the shops app.
    shop = models.ForeignKey(
        "shops.Shop",
        verbose_name=_("shop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    suggested_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("suggested unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_from = models.ForeignKey(
        "org.Unit",
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    routed_by = models.CharField(
        _("routed by"), max_length=10, choices=RoutedBy.choices, default=RoutedBy.OFFICE
    )
    forced = models.BooleanField(_("force-assigned"), default=False)
    verify_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("verifying unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems_to_verify",
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_problems",
    )
    reporter_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("reporter's unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_name = models.CharField(_("reporter"), max_length=60, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    # Private contact an Open311 app passes along (email, device id): the office sees them,
    # everyone else a masked form, and no public answer carries them.
    reporter_email = models.CharField(_("reporter's email"), max_length=254, blank=True)
    reporter_device = models.CharField(_("reporter's device"), max_length=100, blank=True)
    # A photo an app links to instead of uploading (Open311 media_url): kept as a link, never
    # fetched by the server.
    media_url = models.URLField(_("linked photo"), max_length=500, blank=True)
    external_ref = models.CharField(_("external number"), max_length=64, blank=True)
    public_token = models.CharField(max_length=43, null=True, blank=True, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    client = models.ForeignKey(
        "problems.Open311Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )

    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    on_time = models.BooleanField(_("rectified on time"), null=True, blank=True)
    extension_until = models.DateTimeField(_("extension requested until"), null=True, blank=True)
    status_before = models.CharField(max_length=20, blank=True, editable=False)

    measures = models.TextField(_("rectification measures"), blank=True)
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("rework count"), default=0)
    escalation = models.CharField(
        _("escalation"), max_length=10, choices=Escalation.choices, blank=True, default=""
    )
    supervised = models.BooleanField(_("escalated supervision (提级督办)"), default=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProblemQuerySet.as_manager()

    scope_field = ("unit", "verify_unit", "reporter_unit")
    # A working group owns the problems its units answer for, not those they only reported
    # or verify (campaigns.groups.owned_by).
    group_unit_field = "unit"

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-reported_at", "-id"]
        indexes = [
            # A unit's inbox: its open problems, soonest deadline first.
            models.Index(fields=["unit", "status", "deadline"], name="problem_inbox_idx"),
            # Escalation and the overdue list.
            models.Index(fields=["status", "deadline"], name="problem_due_idx"),
            # Duplicate suggestions: same category, last 7 days.
            models.Index(fields=["category", "reported_at"], name="problem_recent_idx"),
            models.Index(fields=["reported_at"], name="problem_reported_idx"),
            # Rates: the open problems' part is read from this index alone (closed ones are
            # tallied in ProblemTally when they close).
            models.Index(
                fields=["status", "unit", "reported_at", "deadline", "rework_count"],
                name="problem_open_rates_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="problem_external_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category.name if self.category_id else ''} {self.address}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def in_queue(self) -> bool:
        return self.status in QUEUE_STATUSES

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return bool(
            self.deadline and self.status in RUNNING_STATUSES and self.deadline < (now or timezone.now())
        )

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.reporter_phone) if self.reporter_phone else ""

    def contact_for(self, user) -> dict[str, str]:
        """The reporter's email and device as this user may see them: in full for the office only."""
        from chuangwen.problems.permissions import DISPATCH, has_any_role

        full = has_any_role(user, DISPATCH)
        contact = {"email": self.reporter_email, "device": self.reporter_device}
        return {k: (v if full else mask_contact(v)) for k, v in contact.items() if v}

    def phone_for(self, user) -> str:
        """The reporter's phone as this user may see it: in full for the office only."""
        if not self.reporter_phone:
            return ""
        from chuangwen.problems.permissions import DISPATCH, has_any_role

        return self.reporter_phone if has_any_role(user, DISPATCH) else self.masked_phone


class EventKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    DISPATCHED = "dispatched", _("Dispatched")
    REASSIGNED = "reassigned", _("Reassigned")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned to the office")
    STARTED = "started", _("Rectification started")
    SUBMITTED = "submitted", _("Rectification submitted")
    VERIFIED = "verified", _("Verified: passed, closed")
    REJECTED = "rejected", _("Verified: failed, back to rectification")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    DUPLICATE = "duplicate", _("Marked as duplicate")
    MERGED = "merged", _("Duplicate merged in")
    NOT_APPLICABLE = "not_applicable", _("Marked not applicable")
    REMINDED = "reminded", _("Due-soon reminder")
    NOTICE = "notice", _("Supervision notice issued")
    CARD = "card", _("Card issued")
    SUPERVISED = "supervised", _("Escalated supervision (提级督办)")
    PHOTO = "photo", _("Photo added")
    HOTLINE_CLOSED = "hotline_closed", _("Closed in the 12345 hotline system")


class ProblemEvent(models.Model):
    """One row of a problem's timeline: every transition, reminder, notice and card.

    `is_public` marks the rows a citizen may see on the follow-status page and in Open311
    status_notes (no staff names are shown there).
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=False)

    scope_field = ("problem__unit", "problem__verify_unit", "problem__reporter_unit")

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["problem", "at"], name="problem_event_idx")]

    def __str__(self) -> str:
        return f"#{self.problem_id} {self.get_kind_display()}"


class ProblemTally(models.Model):
    """Closed problems counted per responsible unit and month reported, written when a problem
    is closed after verification (closed is final, so a row only ever grows).

    Rates by unit add these counts to a live count of the open problems, instead of reading a
    million rows. `chuangwen rebuild-problem-tally` recomputes it from the problems (after a
    bulk load, or if rows were changed outside the services).
    """

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    closed = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    rework = models.PositiveIntegerField(default=0)
    reworked = models.PositiveIntegerField(default=0)

    scope_field = "unit"

    class Meta:
        verbose_name = _("closed-problem tally")
        verbose_name_plural = _("closed-problem tallies")
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="problem_tally_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.closed}"
