"""Star ratings of communities (星级评定): aspects scored 0–10, a star per aspect at or above the
threshold, a title by the number of stars, and the yearly 自荐 → 乡镇审查 → 县验收 workflow."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwen.campaigns.models import Campaign

# The ten aspects of the 十星级和谐社区 scheme (seed 001), the default of every campaign.
DEFAULT_ASPECTS = (
    "创建理念",
    "办公设施",
    "班子团结",
    "居民自治",
    "民间组织",
    "社区服务",
    "实事工程",
    "主题活动",
    "文明祥和",
    "管理良好",
)
MAX_SCORE = Decimal("10")
# Scores are entered to one decimal (十分制, as the page's step of 0.1 offers): a score with more
# digits is refused rather than rounded, so 8.999 can never become 9.0 and earn a star.
SCORE_PLACES = 1
SCORE_STEP = Decimal("0.1")


class StarScheme(models.Model):
    """A campaign's thresholds: the score that earns a star, the star counts of the titles."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="star_scheme")
    star_threshold = models.DecimalField(
        _("score that earns a star"), max_digits=4, decimal_places=2, default=Decimal("9")
    )
    top_stars = models.PositiveSmallIntegerField(_("stars for the top title"), default=10)
    pass_stars = models.PositiveSmallIntegerField(_("stars to pass (达标)"), default=7)
    updated_at = models.DateTimeField(auto_now=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("star scheme")
        verbose_name_plural = _("star schemes")

    def __str__(self) -> str:
        return str(self.campaign)

    def title_for(self, stars: int) -> str:
        """The title the county confers at acceptance for this many stars."""
        if stars >= self.top_stars:
            return Title.TOP
        if stars >= self.pass_stars:
            return Title.PASS
        return Title.NONE


class Aspect(models.Model):
    """One aspect communities are scored on (0–10)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="star_aspects")
    seq = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("what is checked"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope_field = "^campaign__root_unit"

    class Meta:
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        ordering = ["campaign", "seq", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="star_aspect_name_unique")]

    def __str__(self) -> str:
        return self.name


class Title(models.TextChoices):
    """The title conferred by the county's acceptance; blank until then (a draft or a rating under
    review has stars counted so far, never a title)."""

    TOP = "top", _("Ten-star community (十星级)")
    PASS = "pass", _("Up to standard (达标)")
    NONE = "none", _("Not up to standard")


class RatingStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessment (自荐) in progress")
    SUBMITTED = "submitted", _("Awaiting township review (乡镇审查)")
    REVIEWED = "reviewed", _("Awaiting county acceptance (县验收)")
    ACCEPTED = "accepted", _("Inspected and accepted by the county (验收)")
    COMMENDED = "commended", _("Commended (表彰)")


class Stage(models.TextChoices):
    SELF = "self", _("Self-assessment (自荐)")
    TOWNSHIP = "township", _("Township review (乡镇审查)")
    COUNTY = "county", _("County acceptance (县验收)")
    COMMENDATION = "commend", _("Commendation (表彰)")


STAGE_OF_STATUS = {
    RatingStatus.DRAFT: Stage.SELF,
    RatingStatus.SUBMITTED: Stage.TOWNSHIP,
    RatingStatus.REVIEWED: Stage.COUNTY,
}
# Seed 001: "被评为十星级和谐社区的，由县委、县政府进行表彰" — only the top title is commended.
COMMENDED_TITLES = (Title.TOP,)


class Rating(models.Model):
    """One community's rating in one year. `version` grows at every change: an action carries the
    version it was shown, and a stale one is refused as a conflict."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="star_ratings")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=RatingStatus.choices, default=RatingStatus.DRAFT
    )
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, default=0)
    title = models.CharField(_("title"), max_length=10, choices=Title.choices, default="", blank=True)
    # Who filled in each stage ({"self": [user ids], "township": [...], "county": [...]}): the
    # person who filled in a stage never approves it.
    fillers = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted by the county at"), null=True, blank=True)
    commended_at = models.DateTimeField(_("commended at"), null=True, blank=True)
    commendation_body = models.CharField(_("commended by (body)"), max_length=100, blank=True)
    commendation_document = models.CharField(_("document number"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    scope_field = "unit"

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="star_rating_once_a_year")]
        indexes = [models.Index(fields=["campaign", "year", "title"], name="star_rating_title_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def stage(self) -> str | None:
        """The stage that may act next; None once final (accepted without a commended title, or
        commended)."""
        if self.status == RatingStatus.ACCEPTED:
            return Stage.COMMENDATION if self.title in COMMENDED_TITLES else None
        return STAGE_OF_STATUS.get(RatingStatus(self.status))

    @property
    def title_label(self) -> str:
        """What the title column says: the conferred title, or why there is none yet."""
        if self.title:
            return str(Title(self.title).label)
        if self.status == RatingStatus.DRAFT:
            return str(_("Not submitted"))
        return str(_("Not yet accepted"))


class AspectScore(models.Model):
    """A rating's score on one aspect: the community's own, then the township's adjustment."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="scores")
    aspect = models.ForeignKey(Aspect, on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("self score"), max_digits=4, decimal_places=2, null=True, blank=True)
    self_comment = models.TextField(_("community's comment"), blank=True)
    reviewed_score = models.DecimalField(
        _("township's score"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    review_comment = models.TextField(_("township's comment"), blank=True)

    scope_field = "rating__unit"

    class Meta:
        verbose_name = _("aspect score")
        verbose_name_plural = _("aspect scores")
        ordering = ["rating", "aspect__seq", "aspect_id"]
        constraints = [models.UniqueConstraint(fields=["rating", "aspect"], name="star_score_unique")]

    def __str__(self) -> str:
        return f"{self.aspect} {self.score}"

    @property
    def score(self) -> Decimal | None:
        """The score that counts: the township's when it adjusted it, else the community's."""
        return self.reviewed_score if self.reviewed_score is not None else self.self_score


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class Evidence(models.Model):
    """A photo or document behind one aspect's score, checked by content before it is kept."""

    score = models.ForeignKey(AspectScore, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(upload_to="stars/%Y/", max_length=200)
    display = models.FileField(upload_to="stars/display/%Y/", max_length=200, blank=True)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The idempotency key of the upload that brought it: a retry under the same key stores nothing.
    client_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)

    scope_field = "score__rating__unit"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["score", "id"]

    def __str__(self) -> str:
        return self.name


class StepAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")
    ACCEPT = "accept", _("Inspected and accepted")
    COMMEND = "commend", _("Commended")


class RatingStep(models.Model):
    """One step of the workflow with its comment (kept for every stage, never edited)."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    action = models.CharField(_("action"), max_length=10, choices=StepAction.choices)
    from_status = models.CharField(max_length=10, choices=RatingStatus.choices)
    to_status = models.CharField(max_length=10, choices=RatingStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    scope_field = "rating__unit"

    class Meta:
        verbose_name = _("rating step")
        verbose_name_plural = _("rating steps")
        ordering = ["rating", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.get_action_display()}"
