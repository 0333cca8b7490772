from django.contrib import admin

from chuangwen.inspections.models import Observation, Round, RoundPoint, Sampling


class RoundPointInline(admin.TabularInline):
    model = RoundPoint
    extra = 0
    raw_id_fields = ["point", "team", "sampling", "inspector"]
    fields = ["seq", "point", "team", "status", "score_rate", "failed_count"]
    readonly_fields = ["score_rate", "failed_count"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "start_date", "end_date", "organizer", "team"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["campaign", "organizer", "team", "created_by"]
    inlines = [RoundPointInline]


@admin.register(Sampling)
class SamplingAdmin(admin.ModelAdmin):
    list_display = ["round", "seed", "candidates_count", "created_at"]
    raw_id_fields = ["round", "within", "created_by"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["round_point", "item", "result", "grade", "score", "failed", "problem_id"]
    list_filter = ["result", "grade", "failed"]
    raw_id_fields = ["round_point", "item", "inspector"]
