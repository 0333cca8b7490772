from django.contrib import admin

from chuangwen.assessments.models import AssessmentMonth, Card, DeductionRule, Summons


@admin.register(AssessmentMonth)
class AssessmentMonthAdmin(admin.ModelAdmin):
    list_display = ["campaign", "month", "status", "computed_at", "published_at"]
    readonly_fields = ["status", "computed_at", "published_at", "rules_used"]


admin.site.register(DeductionRule)
admin.site.register(Card)
admin.site.register(Summons)
