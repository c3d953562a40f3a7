from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from schools.access import is_bureau_wide
from schools.admin_history import HistoryAdmin
from schools.admin_import import TableImportMixin
from schools.admin_scope import ScopedAdminMixin
from schools.importing.resources import SchoolResource
from schools.importing.uploads import ImportUploadForm
from schools.models import Region, ReportRule, School, Scope


def plain_number(value):
    """A stored decimal without its trailing zeros: 2000000.000 → "2000000", 0.50 → "0.5"."""
    return format(value.normalize(), "f") if value is not None else "—"


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
class SchoolAdmin(ScopedAdminMixin, HistoryAdmin, TableImportMixin, ImportExportModelAdmin):
    resource_classes = [SchoolResource]
    import_form_class = ImportUploadForm
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


@admin.register(Scope)
class ScopeAdmin(admin.ModelAdmin):
    """Who sees what: the bureau's administrators' business alone (a scope names schools of
    other towns)."""

    list_display = ("user", "region_names", "school_count")
    search_fields = ("user__username", "user__first_name")
    autocomplete_fields = ("user", "regions", "schools")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("regions", "schools")

    def has_module_permission(self, request):
        return is_bureau_wide(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_bureau_wide(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_bureau_wide(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return is_bureau_wide(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return is_bureau_wide(request.user) and super().has_delete_permission(request, obj)

    @admin.display(description=_("区划"))
    def region_names(self, obj):
        return "、".join(region.name for region in obj.regions.all())

    @admin.display(description=_("单独指定的学校数"))
    def school_count(self, obj):
        return len(obj.schools.all())


@admin.register(ReportRule)
class ReportRuleAdmin(HistoryAdmin):
    """The bureau's checks of the annual report: errors block saving and importing, warnings must
    be explained. Built-in rules keep what they check; their message, limits, severity and whether
    they apply can be changed."""

    # The limits in one column and "each field" left to the form: the list fits a 1366 px screen.
    list_display = ("code", "message", "severity", "kind", "limits", "is_active", "builtin")
    list_filter = ("severity", "kind", "is_active", "builtin")
    search_fields = ("code", "message")
    list_editable = ("is_active",)
    fields = (
        "code", "message", "severity", "kind", "numerator", "denominator", "each_field", "minimum", "maximum",
        "max_change_percent", "is_active", "builtin",
    )

    @admin.display(description=_("界限"))
    def limits(self, obj):
        if obj.kind == ReportRule.Kind.CHANGE:
            return _("±%(p)s%%") % {"p": plain_number(obj.max_change_percent)}
        if obj.kind == ReportRule.Kind.COMPARE:
            return _("不大于整体")
        if obj.minimum is not None and obj.maximum is not None:
            return f"{plain_number(obj.minimum)} – {plain_number(obj.maximum)}"
        if obj.minimum is not None:
            return f"≥ {plain_number(obj.minimum)}"
        return f"≤ {plain_number(obj.maximum)}"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.builtin:
            return ("code", "kind", "numerator", "denominator", "each_field", "builtin")
        return ("builtin",)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.builtin:
            return False  # it would come back with the next migrate: switch it off instead
        return super().has_delete_permission(request, obj)
