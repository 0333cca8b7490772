from django.contrib import admin

from chuangwen.surveys.models import (
    Assignment,
    GradeBand,
    Option,
    Question,
    Questionnaire,
    Quota,
    Response,
    Round,
)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


class BandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "audience", "status", "threshold"]
    list_filter = ["status", "audience"]
    inlines = [BandInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "questionnaire", "kind", "measure", "indicator_code"]
    list_filter = ["kind", "measure"]
    search_fields = ["name", "label", "indicator_code"]
    raw_id_fields = ["indicator"]
    inlines = [OptionInline]


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "questionnaire", "mode", "status", "starts_on", "ends_on"]
    list_filter = ["mode", "status"]
    inlines = [QuotaInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["round", "enumerator", "unit"]
    raw_id_fields = ["enumerator", "unit"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-only: responses change only through the collection and void services."""

    list_display = ["id", "round", "unit", "channel", "status", "submitted_at"]
    list_filter = ["channel", "status"]
    readonly_fields = [f.name for f in Response._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
