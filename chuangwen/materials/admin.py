from django.contrib import admin

from chuangwen.materials.models import (
    Document,
    EvidenceFlag,
    MaterialRequirement,
    Photo,
    ReviewAction,
    ReviewPolicy,
    Submission,
)


@admin.register(MaterialRequirement)
class MaterialRequirementAdmin(admin.ModelAdmin):
    list_display = ["title", "task", "kind", "cadence", "is_active"]
    list_filter = ["kind", "cadence", "is_active"]
    search_fields = ["title", "task__title"]
    raw_id_fields = ["task"]


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin):
    list_display = ["campaign", "first_roles", "second_roles", "final_roles", "separate_reviewers"]
    raw_id_fields = ["campaign", "updated_by"]


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["seq", "original_name", "taken_at", "people", "phash"]
    readonly_fields = fields
    can_delete = False


class FlagInline(admin.TabularInline):
    model = EvidenceFlag
    fk_name = "submission"
    extra = 0
    fields = ["code", "severity", "photo", "other_submission"]
    readonly_fields = fields
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    # Evidence: readable here, changed only through the services (review, resubmit).
    list_display = [
        "title",
        "unit",
        "requirement",
        "period",
        "version",
        "status",
        "is_current",
        "submitted_at",
    ]
    list_filter = ["status", "is_current", "checks_state"]
    search_fields = ["title", "unit__name"]
    raw_id_fields = ["requirement", "unit", "previous", "submitted_by"]
    readonly_fields = [
        "thread",
        "version",
        "status",
        "revision",
        "idempotency_key",
        "submitted_by",
        "submitted_at",
    ]
    inlines = [PhotoInline, FlagInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "submission", "extension", "size", "words"]
    raw_id_fields = ["submission", "carried_from"]


@admin.register(ReviewAction)
class ReviewActionAdmin(admin.ModelAdmin):
    list_display = ["submission", "level", "decision", "actor", "acted_at"]
    raw_id_fields = ["submission", "actor"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
