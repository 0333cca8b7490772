from django.contrib import admin

from chuangwen.points.models import (
    CheckIn,
    ChecklistItem,
    DutyLog,
    DutyRoster,
    DutyShift,
    Point,
    PointType,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = [
        "number",
        "text",
        "indicator_code",
        "check_mode",
        "params",
        "scoring",
        "points",
        "weight",
        "is_active",
    ]


@admin.register(PointType)
class PointTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "sort_order", "is_active"]
    search_fields = ["code", "name"]
    inlines = [ChecklistItemInline]


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "point_type", "unit", "is_key", "is_fixed", "is_active"]
    list_filter = ["point_type", "is_key", "is_fixed", "is_active"]
    search_fields = ["name", "code", "address"]
    raw_id_fields = ["unit", "grid", "leader", "cadre"]


@admin.register(DutyRoster)
class DutyRosterAdmin(admin.ModelAdmin):
    list_display = ["name", "point", "unit", "start_date", "end_date", "required_count"]
    raw_id_fields = ["point", "unit", "people", "created_by"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["point", "date", "start_time", "end_time", "required_count"]
    list_filter = ["date"]
    raw_id_fields = ["roster", "point", "people"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["person", "shift", "checked_in_at", "in_outside", "checked_out_at", "out_outside"]
    raw_id_fields = ["shift", "person", "user"]


@admin.register(DutyLog)
class DutyLogAdmin(admin.ModelAdmin):
    list_display = ["point", "date", "category", "count", "person"]
    list_filter = ["category", "date"]
    raw_id_fields = ["point", "shift", "unit", "person", "user"]
