from django.contrib import admin

from chuangwen.indicators.models import EvaluationSystem, GradeBand, Indicator, NegativeItem


class NegativeItemInline(admin.TabularInline):
    model = NegativeItem
    extra = 0


@admin.register(EvaluationSystem)
class EvaluationSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "level", "campaign"]
    list_filter = ["level"]
    raw_id_fields = ["campaign"]
    inlines = [NegativeItemInline]


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "system", "points"]
    list_filter = ["level", "system"]
    search_fields = ["code", "name", "standard"]
    raw_id_fields = ["parent", "system"]
    inlines = [GradeBandInline]
