from django.contrib import admin

from chuangwen.problems.models import (
    CalendarDay,
    Open311Client,
    Problem,
    ProblemCategory,
    ProblemEvent,
    SupervisionNotice,
    UnitCard,
)


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "kind", "time_limit", "time_unit", "default_unit", "is_active"]
    list_filter = ["kind", "time_unit", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "default_unit"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class ProblemEventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor_name", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    """Read-mostly: state changes go through the services (pages and API), which audit them."""

    list_display = ["id", "category", "status", "unit", "source", "deadline", "reported_at"]
    list_filter = ["status", "source", "channel", "urgency", "supervised"]
    search_fields = ["id", "description", "address", "external_ref"]
    raw_id_fields = [
        "category",
        "unit",
        "suggested_unit",
        "returned_from",
        "verify_unit",
        "reporter",
        "reporter_unit",
        "grid",
        "road",
        "duplicate_of",
        "client",
    ]
    readonly_fields = ["status", "version", "rework_count", "escalation", "deadline", "closed_at"]
    inlines = [ProblemEventInline]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Create keys with `chuangwen open311-key NAME` (the key is shown once); here, deactivate."""

    list_display = ["name", "key_prefix", "source", "is_active", "last_used_at"]
    readonly_fields = ["key_prefix", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    list_display = ["number", "unit", "problem", "issued_at", "overdue_hours"]
    raw_id_fields = ["problem", "unit"]


@admin.register(UnitCard)
class UnitCardAdmin(admin.ModelAdmin):
    list_display = ["unit", "color", "reason", "problem", "issued_at"]
    list_filter = ["color", "reason"]
    raw_id_fields = ["problem", "unit"]
