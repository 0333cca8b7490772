from django.contrib import admin

from chuangwen.meetings.models import Attendance, Decision, Meeting


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    readonly_fields = ["unit", "attended", "attendee"]
    can_delete = False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    readonly_fields = ["number", "text", "unit", "deadline", "kind", "task", "problem", "done_at"]
    fields = readonly_fields
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-mostly: meetings change through the pages and the API (services keep the rules)."""

    list_display = ["title", "kind", "held_on", "chair", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    readonly_fields = ["campaign", "status", "brief", "held_at", "created_by"]
    inlines = [AttendanceInline, DecisionInline]
