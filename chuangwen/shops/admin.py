from django.contrib import admin

from chuangwen.shops.models import Notice, RoadLine, Shop, ShopRules


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "unit", "grid", "road", "pledge_no", "exposed_at")
    list_filter = ("category",)
    search_fields = ("name", "address")
    raw_id_fields = ("unit", "grid", "road")


admin.site.register(Notice)
admin.site.register(RoadLine)
admin.site.register(ShopRules)
