from django.contrib import admin

from chuangwen.stars.models import Aspect, Rating, StarScheme

admin.site.register(StarScheme)
admin.site.register(Aspect)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "status", "stars", "title"]
    readonly_fields = ["status", "stars", "total", "title", "version"]
