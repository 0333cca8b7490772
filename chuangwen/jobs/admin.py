from django.contrib import admin

from chuangwen.jobs.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("name", "state", "crashes", "attempts", "started_at", "finished_at")
    list_filter = ("state",)
    readonly_fields = [f.name for f in JobRun._meta.fields]
