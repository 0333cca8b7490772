from django.contrib import admin

from chuangwen.volunteers.models import Activity, Team, Volunteer


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]
    search_fields = ["name"]


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "code", "total_hours"]
    search_fields = ["name", "code"]
    exclude = ["phone"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "starts_at", "status"]
