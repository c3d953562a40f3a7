"""The admin of the city's work: the plan's tasks and their progress notes, the leadership group's
meetings and follow-up actions, attachments, deliveries and their lines.

Files are uploaded and deliveries recorded on the campaign's pages (their checks and evidence go
with them), not added here. A task's or action's due date and status are checked here as the
services check them. Tasks and meetings are the city's; what names a school (a task's tracked
schools and gaps, a delivery's lines) is shown within the user's scope only.
"""

import dataclasses

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from phases.models import Attachment, Delivery, DeliveryLine, FollowUpAction, Meeting, Task, TaskUpdate
from phases.services_city import due_on_check, status_check
from schools.access import is_bureau_wide, visible_schools
from schools.admin_history import HistoryAdmin, ReadableChangeHelper
from schools.admin_scope import ScopedAdminMixin


def _check(form, checks):
    """Run the services' checks on a cleaned admin form; their errors go on the named fields."""
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                form.add_error(name if name in form.fields else None, messages)


class TaskAdminForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = (
            "phase",
            "code",
            "title",
            "order",
            "responsible_unit",
            "owner",
            "due_on",
            "status",
            "done_on",
            "tracked_schools",
            "gaps",
        )

    def clean(self):
        data = super().clean()
        phase, code = data.get("phase") or self.instance_phase(), data.get("code") or self.instance.code
        what = _("任务 %(code)s") % {"code": code}
        checks = [lambda: status_check(data.get("status"), data.get("done_on"), what)]
        if phase is not None:
            checks.append(lambda: due_on_check(phase.campaign, data.get("due_on"), what))
        _check(self, checks)
        return data

    def instance_phase(self):
        return self.instance.phase if self.instance.phase_id else None


class FollowUpActionAdminForm(forms.ModelForm):
    class Meta:
        model = FollowUpAction
        fields = ("meeting", "title", "responsible_unit", "owner", "due_on", "status", "done_on", "notes")

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting")
        what = _("落实事项“%(title)s”") % {"title": data.get("title", "")}
        checks = [lambda: status_check(data.get("status"), data.get("done_on"), what)]
        if meeting is not None:
            checks.append(lambda: due_on_check(meeting.campaign, data.get("due_on"), what))
            due_on = data.get("due_on")
            if due_on is not None and due_on < meeting.held_on:
                self.add_error("due_on", _("完成期限不能早于会议日期 %(date)s。") % {"date": meeting.held_on})
        _check(self, checks)
        return data


class WithoutFieldsChangeHelper(ReadableChangeHelper):
    """A history page's changes without some fields (those naming schools outside a scope)."""

    def __init__(self, model, record, hidden):
        super().__init__(model, record)
        self.hidden = hidden

    def context_for_delta_changes(self, delta):
        shown = [change for change in delta.changes if change.field not in self.hidden]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=shown))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TaskUpdateInline(ReadOnlyInline):
    model = TaskUpdate
    fields = ("written_at", "author", "note")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("download", "note", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("文件"))
    def download(self, obj):
        return _download(obj)


def _download(attachment):
    url = reverse("phases:attachment_file", args=[attachment.pk])
    return format_html('<a href="{}">{}</a>', url, attachment.original_name)


@admin.register(Task)
class TaskAdmin(HistoryAdmin):
    form = TaskAdminForm
    list_display = ("code", "title", "phase", "responsible_unit", "owner", "due_on", "status", "done_on")
    list_select_related = ("phase", "owner")
    list_filter = ("phase__campaign", "phase", "status")
    search_fields = ("code", "title", "responsible_unit")
    autocomplete_fields = ("owner", "tracked_schools", "gaps")
    inlines = [TaskUpdateInline, AttachmentInline]
    # They name schools: shown to those who see every school.
    scoped_fields = ("tracked_schools", "gaps")

    def get_exclude(self, request, obj=None):
        excluded = tuple(super().get_exclude(request, obj) or ())
        return excluded if is_bureau_wide(request.user) else (*excluded, *self.scoped_fields)

    def get_historical_record_context_helper(self, request, historical_record):
        if is_bureau_wide(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return WithoutFieldsChangeHelper(self.model, historical_record, self.scoped_fields)


@admin.register(TaskUpdate)
class TaskUpdateAdmin(HistoryAdmin):
    list_display = ("task", "written_at", "author", "note")
    list_select_related = ("task", "author")
    list_filter = ("task__phase__campaign", "task")
    search_fields = ("task__code", "note")
    readonly_fields = ("written_at", "author")
    fields = ("task", "note", "author", "written_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class FollowUpActionInline(ReadOnlyInline):
    model = FollowUpAction
    fields = ("title", "responsible_unit", "owner", "due_on", "status", "done_on")
    readonly_fields = fields
    show_change_link = True


class MeetingAttachmentInline(AttachmentInline):
    fk_name = "meeting"


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ("held_on", "title", "campaign")
    list_select_related = ("campaign",)
    list_filter = ("campaign",)
    search_fields = ("title", "attending_units", "decisions")
    date_hierarchy = "held_on"
    inlines = [FollowUpActionInline, MeetingAttachmentInline]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(HistoryAdmin):
    form = FollowUpActionAdminForm
    list_display = ("title", "meeting", "responsible_unit", "owner", "due_on", "status", "done_on")
    list_select_related = ("meeting", "owner")
    list_filter = ("status", "meeting__campaign", "meeting")
    search_fields = ("title", "responsible_unit", "meeting__title")
    autocomplete_fields = ("owner",)
    inlines = [AttachmentInline]


@admin.register(Attachment)
class AttachmentAdmin(HistoryAdmin):
    """Files are uploaded on the task and meeting pages, where their content is checked."""

    list_display = ("original_name", "task", "meeting", "action", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("task", "meeting", "action", "uploaded_by")
    list_filter = ("content_type",)
    search_fields = ("original_name", "note", "task__code", "meeting__title", "action__title")
    readonly_fields = (
        "download",
        "content_type",
        "size",
        "task",
        "meeting",
        "action",
        "uploaded_by",
        "uploaded_at",
    )
    fields = ("download", "note", *readonly_fields[1:])

    @admin.display(description=_("文件"))
    def download(self, obj):
        return _download(obj)

    def has_add_permission(self, request):
        return False


class DeliveryLineInline(ReadOnlyInline):
    model = DeliveryLine
    fields = ("gap", "quantity")
    readonly_fields = fields

    def get_queryset(self, request):
        lines = super().get_queryset(request).select_related("gap__tracked__school", "gap__indicator")
        if is_bureau_wide(request.user):
            return lines
        return lines.filter(gap__tracked__school__in=visible_schools(request.user))


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdminMixin, HistoryAdmin):
    """Deliveries are recorded on the purchase list, which attaches their evidence; here their
    supplier and note may be corrected. A scoped user sees those with a line in the scope."""

    scope_path = "lines__gap__tracked__school"
    list_display = ("delivered_on", "supplier", "campaign", "recorded_by", "recorded_at")
    list_select_related = ("campaign", "recorded_by")
    list_filter = ("campaign",)
    search_fields = ("supplier", "note")
    date_hierarchy = "delivered_on"
    readonly_fields = ("campaign", "delivered_on", "recorded_by", "recorded_at")
    fields = ("campaign", "delivered_on", "supplier", "note", "recorded_by", "recorded_at")
    inlines = [DeliveryLineInline]

    def get_queryset(self, request):
        # A delivery with several lines in the scope is listed once.
        return super().get_queryset(request).distinct()

    def has_add_permission(self, request):
        return False


@admin.register(DeliveryLine)
class DeliveryLineAdmin(ScopedAdminMixin, HistoryAdmin):
    scope_path = "gap__tracked__school"
    list_display = ("delivery", "gap", "quantity")
    list_select_related = ("delivery", "gap__tracked__school", "gap__indicator")
    list_filter = ("delivery__campaign",)
    search_fields = ("gap__tracked__school__code", "gap__tracked__school__name", "delivery__supplier")
    readonly_fields = ("delivery", "gap", "quantity")

    def has_add_permission(self, request):
        return False
