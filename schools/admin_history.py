"""The admin's history pages (django-simple-history), with the change permission enforced and
each change shown as a user reads it.

simple_history's page of one past version ("revert") saves a POST for anyone who may view the
history; here only a user who may change the object may revert it, and the revert button is
hidden from the others.

simple_history lists a change as the stored values ("True → False", "town → rural"); here a
boolean reads 是/否, a choice its label, a foreign key its related object, a date or number as the
admin's forms show it, and an empty value "—".
"""

import datetime

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def readable_value(field, value):
    """`value` of model field `field` as the user reads it (a str)."""
    if isinstance(field, models.BooleanField) and value is not None:
        return _("是") if value else _("否")
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if value is not None and str(value) in labels:
            return str(labels[str(value)])
    # An empty foreign key comes from diff_against() as a DeletedObject without a pk.
    if value in (None, "", [], {}) or (isinstance(value, DeletedObject) and value.pk is None):
        return EMPTY
    if isinstance(value, DeletedObject):
        return _("已删除的%(model)s（编号 %(pk)s）") % {
            "model": value.model._meta.verbose_name,
            "pk": value.pk,
        }
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(formats.localize(value))


class ReadableChangeHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return readable_value(field, value)


class HistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangeHelper(self.model, historical_record)

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
