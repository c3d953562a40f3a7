"""The admin's history pages (django-simple-history), with the change permission enforced.

simple_history's page of one past version ("revert") saves a POST for anyone who may view the
history; here only a user who may change the object may revert it, and the revert button is
hidden from the others.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    # A model with many-to-many history (a scope's regions, an account's groups) would get a row
    # for its save and one more per many-to-many add or remove, each a partial step. One admin
    # save is one row here, taken once the form's many-to-many values are in place.
    def save_model(self, request, obj, form, change):
        if change and _has_m2m_history(obj):
            obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if not _has_m2m_history(obj):
            super().save_related(request, form, formsets, change)
            return
        obj.skip_history_when_saving = True
        try:
            super().save_related(request, form, formsets, change)
        finally:
            del obj.skip_history_when_saving
        obj._history_user = request.user
        obj.save()


def _has_m2m_history(obj):
    history = getattr(type(obj), "history", None)
    return bool(history is not None and getattr(history.model, "_history_m2m_fields", None))
