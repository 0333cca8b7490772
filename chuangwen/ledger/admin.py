from django.contrib import admin

from chuangwen.ledger.models import Credit, YearEndRules


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    """Read-mostly: credits are recorded through the pages (the service keeps the rules)."""

    list_display = ["unit", "kind", "title", "points", "awarded_on"]
    list_filter = ["kind"]
    readonly_fields = ["campaign", "unit", "kind", "points", "bonus", "recorded_by"]


@admin.register(YearEndRules)
class YearEndRulesAdmin(admin.ModelAdmin):
    list_display = ["campaign", "base_score", "updated_at"]
    readonly_fields = ["campaign", "rules"]
