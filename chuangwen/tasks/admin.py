from django.contrib import admin

from chuangwen.tasks.models import ProgressAttachment, ProgressReport, Task, TaskAssignment, TaskMilestone


class AssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0
    raw_id_fields = ["unit"]


class MilestoneInline(admin.TabularInline):
    model = TaskMilestone
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "method", "cadence", "deadline", "done_confirmed_at"]
    list_filter = ["method", "cadence"]
    search_fields = ["title", "requirement"]
    raw_id_fields = ["campaign", "indicator", "leader", "done_confirmed_by"]
    filter_horizontal = ["people"]
    inlines = [AssignmentInline, MilestoneInline]


class AttachmentInline(admin.TabularInline):
    model = ProgressAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "sha256"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["task", "unit", "month", "submitted_at", "submitted_by"]
    raw_id_fields = ["task", "unit", "submitted_by"]
    inlines = [AttachmentInline]
