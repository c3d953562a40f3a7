"""Admin pages that list and open only what the user's scope covers."""

from django.contrib import admin
from django.http import Http404

from schools.access import is_bureau_wide, visible_schools
from schools.models import School


class ScopedAdminMixin:
    """Limits the changelist, search, autocomplete and object pages to the user's scope.

    `scope_path` is the lookup from the model to its School ("" for School itself).
    An object outside the scope answers 404, like one that does not exist.
    """

    scope_path = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_bureau_wide(request.user):
            return queryset
        lookup = f"{self.scope_path}__in" if self.scope_path else "pk__in"
        return queryset.filter(**{lookup: visible_schools(request.user)})

    def _in_scope(self, request, object_id):
        if object_id and not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A school chosen on a form (a report's, a teaching point's parent) must be in the scope.
        if db_field.related_model is School and not is_bureau_wide(request.user):
            kwargs["queryset"] = visible_schools(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SystemRecordAdmin(admin.ModelAdmin):
    """A record the system writes (import batches, reminders sent): read by the bureau-wide
    administrators only (it may name any town's schools), never added, changed or deleted."""

    def has_module_permission(self, request):
        return is_bureau_wide(request.user)

    def has_view_permission(self, request, obj=None):
        return is_bureau_wide(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
