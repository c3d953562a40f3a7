from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from schools.access import is_bureau_wide
from schools.admin_history import HistoryAdmin
from schools.admin_import import TableImportMixin
from schools.admin_scope import ScopedAdminMixin, SystemRecordAdmin
from schools.importing.resources import SchoolResource
from schools.importing.uploads import ImportUploadForm
from schools.models import ImportBatch, Region, School, Scope


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
    import_batch_kind = "schools"
    resource_classes = [SchoolResource]
    import_form_class = ImportUploadForm
    list_display = (
        "code",
        "name",
        "school_type",
        "ownership",
        "area_type",
        "region",
        "district",
        "teaching_point",
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


class NoRevertAdmin(HistoryAdmin):
    """History shown, never reverted: a past version's many-to-many values (regions, groups,
    permissions) would not come back with it, so the form would show today's as if they were old."""

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(Scope)
class ScopeAdmin(NoRevertAdmin):
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


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(NoRevertAdmin, UserAdmin):
    """Accounts with their history (roles, rights, status: old → new; never the password)."""

    def get_deleted_objects(self, objs, request):
        # An account's admin log entries would go with it (Django's LogEntry cascades): the audit
        # trail stays, so such an account is refused; switch it off (active: no) instead.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            logged = LogEntry.objects.filter(user=user).count()
            if logged:
                protected.append(
                    ngettext(
                        "%(user)s 的 %(n)s 条操作记录（请停用账号，不要删除）",
                        "%(user)s 的 %(n)s 条操作记录（请停用账号，不要删除）",
                        logged,
                    )
                    % {"user": user.get_username(), "n": logged}
                )
        return deleted, counts, perms_needed, protected


@admin.register(Group)
class RoleGroupAdmin(NoRevertAdmin, GroupAdmin):
    """Groups with the history of their permissions."""


@admin.register(ImportBatch)
class ImportBatchAdmin(SystemRecordAdmin):
    """Every import of a file, through the admin or a command: read only, kept for good. For the
    bureau's administrators (a batch may name any town's file)."""

    list_display = (
        "at",
        "kind",
        "file_name",
        "user",
        "outcome",
        "created",
        "updated",
        "unchanged",
        "problems",
    )
    list_filter = ("kind", "outcome")
    list_select_related = ("user",)
    search_fields = ("file_name", "sha256", "user__username")
    date_hierarchy = "at"
