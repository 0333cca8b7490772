from django.contrib import admin

from chuangwen.campaigns.models import Campaign, CommandPost, Phase, PhaseTask, WorkingGroup


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    raw_id_fields = ["lead_unit"]


class CommandPostInline(admin.TabularInline):
    model = CommandPost
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "level", "inspection_start", "is_current"]
    raw_id_fields = ["root_unit", "office_unit"]
    inlines = [PhaseInline, CommandPostInline]


class PhaseTaskInline(admin.TabularInline):
    model = PhaseTask
    extra = 0


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["campaign", "seq", "name", "start", "end", "lead_unit"]
    inlines = [PhaseTaskInline]
    raw_id_fields = ["lead_unit"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "lead_unit", "responsible"]
    raw_id_fields = ["lead_unit", "responsible"]
    filter_horizontal = ["members"]
