from django.contrib import admin

from chuangwen.placements.models import Placement, PlacementRules, Requirement, Site


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ("__str__", "carrier", "theme", "owner_unit", "condition", "road")
    list_filter = ("carrier", "theme", "condition")
    raw_id_fields = ("owner_unit", "road", "point", "site")


admin.site.register(Site)
admin.site.register(PlacementRules)
admin.site.register(Requirement)
