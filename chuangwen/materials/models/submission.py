"""What units file: submissions (one row per version), their photos and documents, the
evidence flags the background checks raise, and the reviewers' decisions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from chuangwen.core.storage import fresh_name
from chuangwen.materials.models.requirement import MaterialRequirement, ReviewLevel
from chuangwen.org.models import Unit


class SubmissionStatus(models.TextChoices):
    FIRST = "first", _("Awaiting first review (初审)")
    SECOND = "second", _("Awaiting second review (复审)")
    FINAL = "final", _("Awaiting final review (终审)")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back for revision")


IN_REVIEW = (SubmissionStatus.FIRST, SubmissionStatus.SECOND, SubmissionStatus.FINAL)


class ChecksState(models.TextChoices):
    PENDING = "pending", _("Checks running")
    DONE = "done", _("Checked")
    FAILED = "failed", _("Checks failed")


class SubmissionQuerySet(models.QuerySet):
    def current(self) -> SubmissionQuerySet:
        """The latest version of each thread (what coverage and queues count)."""
        return self.filter(is_current=True)


class Submission(models.Model):
    """One version of an activity record or a document filing by a unit for one period.

    A send-back followed by a resubmission makes a new row (version + 1) in the same thread;
    the older rows stay, with their photos, flags and reviews, as the history.
    """

    requirement = models.ForeignKey(
        MaterialRequirement,
        verbose_name=_("requirement"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="material_submissions"
    )
    period = models.CharField(_("period"), max_length=16)
    thread = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    title = models.CharField(_("title"), max_length=200)
    activity_date = models.DateField(_("activity date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    organiser = models.CharField(_("organiser"), max_length=120, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.FIRST
    )
    # Bumped by every review; a reviewer's form carries the revision it showed (optimistic lock).
    revision = models.PositiveIntegerField(default=1)
    idempotency_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    checks_state = models.CharField(max_length=8, choices=ChecksState.choices, default=ChecksState.PENDING)
    checks_done_at = models.DateTimeField(null=True, blank=True)
    flag_count = models.PositiveSmallIntegerField(default=0)

    objects = SubmissionQuerySet.as_manager()
    scope_field = "unit"

    class Meta:
        verbose_name = _("material submission")
        verbose_name_plural = _("material submissions")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # A phone retrying an upload sends the same key: the retry finds the first one.
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="materials_submission_idempotent",
            ),
            models.UniqueConstraint(
                fields=["thread"],
                condition=models.Q(is_current=True),
                name="materials_submission_one_current",
            ),
            models.UniqueConstraint(fields=["thread", "version"], name="materials_submission_version_unique"),
        ]
        indexes = [
            # The coverage board groups current versions by requirement, unit and period.
            models.Index(
                fields=["is_current", "requirement", "unit", "period", "status"],
                name="materials_sub_coverage_idx",
            ),
            models.Index(fields=["status", "is_current"], name="materials_sub_queue_idx"),
            models.Index(fields=["thread", "version"], name="materials_sub_thread_idx"),
        ]

    @property
    def period_label(self) -> str:
        """The period in words (2026年第4季度), never its stored key."""
        from chuangwen.materials.periods import period_label

        return period_label(self.period)

    def __str__(self) -> str:
        return f"{self.title} · v{self.version}"

    @property
    def in_review(self) -> bool:
        return self.status in IN_REVIEW

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def history(self) -> models.QuerySet[Submission]:
        return Submission.objects.filter(thread=self.thread).order_by("version")


def original_path(instance: models.Model, filename: str) -> str:
    # Random, never the content's hash: on S3 two submissions of the same photo would share one
    # object, and deleting one would break the other. Never the uploaded name either (paths,
    # odd characters). Uploads are written through chuangwen.core.storage; this is the fallback.
    extension = filename.rsplit(".", 1)[-1][:8] if "." in filename else "bin"
    return fresh_name("materials", extension)


def display_path(instance: models.Model, filename: str) -> str:
    return fresh_name("materials", "display.jpg")


class Photo(models.Model):
    """A photo of a submission: the original kept as evidence, a re-encoded copy shown.

    The perceptual hash (64-bit pHash) is stored whole and as four 16-bit chunks, each indexed:
    two hashes within Hamming distance d agree within distance d // 4 on at least one chunk
    (pigeonhole), so a near-duplicate search probes four indexes instead of scanning every row.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos")
    seq = models.PositiveSmallIntegerField(default=1)
    original = models.FileField(upload_to=original_path, max_length=200)
    display = models.FileField(upload_to=display_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    taken_at = models.DateTimeField(_("taken at (EXIF)"), null=True, blank=True)
    gps_lat = models.FloatField(null=True, blank=True)
    gps_lng = models.FloatField(null=True, blank=True)
    phash = models.BigIntegerField(null=True, blank=True)  # signed: the 64 bits as stored by the database
    hash_a = models.IntegerField(null=True, blank=True)
    hash_b = models.IntegerField(null=True, blank=True)
    hash_c = models.IntegerField(null=True, blank=True)
    hash_d = models.IntegerField(null=True, blank=True)
    faces = models.PositiveSmallIntegerField(null=True, blank=True)
    bodies = models.PositiveSmallIntegerField(null=True, blank=True)
    people = models.PositiveSmallIntegerField(_("people visible (estimate)"), null=True, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    # A resubmission may keep photos of the version it replaces: same files, same thread.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_field = "submission__unit"

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["submission", "seq", "id"]
        indexes = [
            # (chunk, phash): the candidate rows and their full hash come from the index alone.
            models.Index(fields=["hash_a", "phash"], name="materials_photo_hash_a"),
            models.Index(fields=["hash_b", "phash"], name="materials_photo_hash_b"),
            models.Index(fields=["hash_c", "phash"], name="materials_photo_hash_c"),
            models.Index(fields=["hash_d", "phash"], name="materials_photo_hash_d"),
        ]

    def __str__(self) -> str:
        return self.original_name


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    VIDEO = "video", _("Video")


class Document(models.Model):
    """A report, table or normative document (docx, pdf, xlsx) or a video of a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="documents")
    seq = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=DocumentKind.choices, default=DocumentKind.DOCUMENT)
    file = models.FileField(upload_to=original_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    words = models.PositiveIntegerField(_("words"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_field = "submission__unit"

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["submission", "seq", "id"]

    def __str__(self) -> str:
        return self.original_name


class Severity(models.TextChoices):
    INFO = "info", _("Note")
    WARNING = "warning", _("Check")
    DANGER = "danger", _("Suspicious")


class FlagCode(models.TextChoices):
    TAKEN_OUTSIDE = "taken_outside", _("Taken on another date")
    TAKEN_UNKNOWN = "taken_unknown", _("Capture time unverifiable")
    FAR_FROM_PLACE = "far_from_place", _("Taken far from the stated place")
    PLACE_UNKNOWN = "place_unknown", _("Place unverifiable")
    REUSED = "reused", _("Photo used before")
    REPEATED = "repeated", _("Same photo twice")
    FEW_PEOPLE = "few_people", _("Fewer people visible than claimed")
    FEW_PARTICIPANTS = "few_participants", _("Too few participants")
    FEW_PHOTOS = "few_photos", _("Too few photos")
    MANY_PHOTOS = "many_photos", _("Too many photos")
    TOTAL_PHOTOS = "total_photos", _("Photo total over the cap")
    NO_ORGANISER = "no_organiser", _("Organiser not named")
    OUTSIDE_WINDOW = "outside_window", _("Outside the evidence window")
    OUTSIDE_PERIOD = "outside_period", _("Outside the period")
    WORDS_OVER = "words_over", _("Too many words")
    WORDS_UNDER = "words_under", _("Too few words")
    WORDS_UNKNOWN = "words_unknown", _("Word count unverifiable")
    WRONG_FILES = "wrong_files", _("Files do not match the kind")
    UNREADABLE = "unreadable", _("Photo could not be analysed")


class EvidenceFlag(models.Model):
    """Something a reviewer should look at, with the reason. Flags never reject anything."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="flags")
    photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(max_length=20, choices=FlagCode.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.WARNING)
    params = models.JSONField(default=dict, blank=True)
    other_submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    other_photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_field = "submission__unit"

    class Meta:
        verbose_name = _("evidence flag")
        verbose_name_plural = _("evidence flags")
        ordering = ["submission", "photo", "id"]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """The reason in the reader's language (params are stored, text is made on display)."""
        return self.message_for(other_visible=True)

    def message_for(self, other_visible: bool) -> str:
        """The reason for a reader who may (or may not) open the other filing it names."""
        if self.code == FlagCode.REUSED and not other_visible:
            return gettext("This photo was already filed by another unit on %(date)s.") % {
                "date": self.params.get("date", "?")
            }
        template = _MESSAGES.get(self.code)
        if template is None:
            return self.get_code_display()
        params = {
            k: gettext(_WORDS[v]) if isinstance(v, str) and v in _WORDS else v for k, v in self.params.items()
        }
        if self.code == FlagCode.REUSED:  # flags raised before matches said how they were found
            params.setdefault("how", gettext(_WORDS["copy"]))
        try:
            return gettext(template) % params
        except (KeyError, TypeError, ValueError):
            return self.get_code_display()


# English msgids, marked for extraction here and translated when shown (the reader's language).
_MESSAGES = {
    FlagCode.TAKEN_OUTSIDE: gettext_noop(
        "Taken on %(taken)s, %(days)d days from the activity date %(activity)s."
    ),
    FlagCode.TAKEN_UNKNOWN: gettext_noop("No capture time in the photo (EXIF): the date cannot be verified."),
    FlagCode.FAR_FROM_PLACE: gettext_noop("Taken %(distance)s from the stated place (the photo's GPS)."),
    FlagCode.PLACE_UNKNOWN: gettext_noop("No GPS position in the photo: the place cannot be verified."),
    FlagCode.REUSED: gettext_noop(
        "Near-duplicate (%(bits)d of 64 bits differ, %(how)s) of a photo in “%(other)s” by %(unit)s, %(date)s."
    ),
    FlagCode.REPEATED: gettext_noop(
        "The same picture appears twice in this submission (photo %(other_seq)d)."
    ),
    FlagCode.FEW_PEOPLE: gettext_noop(
        "At most %(visible)d people visible in any photo; at least %(minimum)d required, %(claimed)s claimed."
    ),
    FlagCode.FEW_PARTICIPANTS: gettext_noop(
        "%(claimed)d participants claimed; at least %(minimum)d required."
    ),
    FlagCode.FEW_PHOTOS: gettext_noop("%(count)d photos; at least %(minimum)d required per activity."),
    FlagCode.MANY_PHOTOS: gettext_noop("%(count)d photos; at most %(maximum)d per activity."),
    FlagCode.TOTAL_PHOTOS: gettext_noop(
        "%(total)d photos filed for this requirement in all; the cap is %(maximum)d."
    ),
    FlagCode.NO_ORGANISER: gettext_noop("The organiser (主办单位) must be named."),
    FlagCode.OUTSIDE_WINDOW: gettext_noop(
        "The activity date %(activity)s is outside the evidence window %(start)s – %(end)s."
    ),
    FlagCode.OUTSIDE_PERIOD: gettext_noop("The activity date %(activity)s is outside the period %(period)s."),
    FlagCode.WORDS_OVER: gettext_noop("%(words)d words; the limit is %(maximum)d."),
    FlagCode.WORDS_UNDER: gettext_noop("%(words)d words; at least %(minimum)d required."),
    FlagCode.WORDS_UNKNOWN: gettext_noop(
        "The words of “%(name)s” cannot be counted (only .docx is counted)."
    ),
    FlagCode.WRONG_FILES: gettext_noop("%(found)s filed where the requirement asks for %(wanted)s."),
    FlagCode.UNREADABLE: gettext_noop(
        "The checks could not read this photo (damaged or unusual file): look at it yourself."
    ),
}


# Words stored in params and translated on display.
_WORDS = {
    "photos": gettext_noop("photos"),
    "documents": gettext_noop("documents"),
    "files": gettext_noop("other files"),
    "video": gettext_noop("a video"),
    # How a reused photo was found (materials.evidence.duplicates.How).
    "copy": gettext_noop("as filed"),
    "turned": gettext_noop("mirrored or turned"),
    "cropped": gettext_noop("cropped"),
}


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    SEND_BACK = "send_back", _("Send back")


class ReviewAction(models.Model):
    """One reviewer's decision at one level on one version."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    level = models.CharField(_("level"), max_length=8, choices=ReviewLevel.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("at"), default=timezone.now)

    scope_field = "submission__unit"

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["submission", "acted_at", "id"]
        # The monthly assessment reads a month of final-level send-backs across the campaign.
        indexes = [models.Index(fields=["level", "decision", "acted_at"], name="materials_review_month_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.get_decision_display()}"


class CoverageCell(models.Model):
    """How many periods of a requirement a unit has satisfied, has in review or was sent back on.

    A summary kept by the services after every filing and review (recomputed for the one
    requirement × unit from the submissions by a grouped query), so the coverage board reads
    one row per cell instead of aggregating every submission on every page view.
    """

    requirement = models.ForeignKey(
        MaterialRequirement, on_delete=models.CASCADE, related_name="coverage_cells"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="material_coverage")
    satisfied = models.PositiveIntegerField(default=0)
    in_review = models.PositiveIntegerField(default=0)
    sent_back = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "unit"

    class Meta:
        verbose_name = _("coverage cell")
        verbose_name_plural = _("coverage cells")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "unit"], name="materials_coverage_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} × {self.unit_id}"
