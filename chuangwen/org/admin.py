from django.contrib import admin

from chuangwen.org.models import Adoption, Grid, Person, Road, RoadSection, Unit, UnitAlias


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 0
    fields = ["alias"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    raw_id_fields = ["parent"]
    inlines = [UnitAliasInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "position", "phone", "is_active"]
    search_fields = ["name", "phone", "position"]
    raw_id_fields = ["unit", "user"]


class RoadSectionInline(admin.TabularInline):
    model = RoadSection
    extra = 0
    raw_id_fields = ["chief_unit", "chief_person"]


@admin.register(Road)
class RoadAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "chief_unit", "chief_person", "length_m"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "chief_unit", "chief_person"]
    inlines = [RoadSectionInline]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit"]
    search_fields = ["code", "name"]
    raw_id_fields = ["unit"]
    filter_horizontal = ["staff"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["kind", "target_name", "target_unit", "adopter_unit", "adopter_person"]
    list_filter = ["kind"]
    raw_id_fields = ["target_unit", "adopter_unit", "adopter_person"]
