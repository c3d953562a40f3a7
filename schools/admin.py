from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from schools.importing.resources import SchoolResource
from schools.models import Region, School


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "order")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


class ClosedFilter(admin.SimpleListFilter):
    title = _("办学状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("在办")), ("closed", _("已撤并"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(is_active=True)
        if self.value() == "closed":
            return queryset.filter(is_active=False)
        return queryset


@admin.register(School)
class SchoolAdmin(ImportExportModelAdmin):
    resource_classes = [SchoolResource]
    list_display = (
        "code", "name", "school_type", "ownership", "area_type", "region", "district", "teaching_point",
        "is_active",
    )
    list_filter = ("region", "school_type", "ownership", "area_type", "teaching_point", ClosedFilter)
    list_select_related = ("region",)
    search_fields = ("code", "name", "district")
    autocomplete_fields = ("region", "parent", "merged_into")
    fieldsets = (
        (None, {"fields": ("code", "name", "school_type", "ownership", "area_type", "region", "district")}),
        (_("教学点"), {"fields": ("teaching_point", "parent")}),
        (_("撤并"), {"fields": ("is_active", "closed_on", "merged_into")}),
    )
