from django.contrib import admin

from chuangwen.bulletins.models import Bulletin, BulletinUnit


class BulletinUnitInline(admin.TabularInline):
    model = BulletinUnit
    extra = 0
    readonly_fields = ["unit", "reason"]
    can_delete = False


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Read-mostly: bulletins change through the pages and the API (services keep the rules)."""

    list_display = ["title", "status", "year", "number", "period_start", "period_end", "job_state"]
    list_filter = ["status", "year", "job_state"]
    search_fields = ["title"]
    inlines = [BulletinUnitInline]
    readonly_fields = [f.name for f in Bulletin._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
