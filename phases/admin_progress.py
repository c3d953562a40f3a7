"""The five phases in the admin: the tracked schools' phase columns and filter (computed per page
in a constant number of queries), and the inspection visits and ledger behind phases 1 and 4."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phases import progress
from phases.filters import STATES
from phases.models import InspectionVisit, LedgerEntry, LedgerItem, TrackedSchool
from phases.selectors_matrix import DEFAULT_NAMES, MATCHES, phase_statuses
from phases.services_progress import visit_day_check
from phases.tables import phase_cell, severity_cell
from schools.access import is_bureau_wide, visible_schools
from schools.admin_history import HistoryAdmin
from schools.admin_scope import ScopedAdminMixin


class PhaseChangeList(ChangeList):
    """Decides the phases of the page's tracked schools at once, not one school at a time."""

    def get_results(self, request):
        super().get_results(request)
        statuses = phase_statuses(self.result_list)  # evaluates the page, which keeps its rows
        for tracked in self.result_list:
            tracked.phase_statuses = statuses[tracked.pk]


class PhaseStateFilter(admin.SimpleListFilter):
    title = _("阶段状态")
    parameter_name = "phase_state"

    def lookups(self, request, model_admin):
        return [
            (f"{number}-{state}", f"{number}. {DEFAULT_NAMES[number]}：{label}")
            for number in progress.NUMBERS
            for state, label in STATES
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return None
        number, _sep, state = self.value().partition("-")
        if not number.isdigit() or int(number) not in progress.NUMBERS:
            return queryset.none()
        if state not in MATCHES:
            return queryset.none()
        statuses = phase_statuses(queryset.select_related("campaign"))
        keep = [pk for pk, found in statuses.items() if MATCHES[state](found[int(number) - 1])]
        return queryset.filter(pk__in=keep)


def phase_column(number):
    @admin.display(description=f"{number}. {DEFAULT_NAMES[number]}")
    def column(self, obj):
        return phase_cell(obj.phase_statuses[number - 1])

    column.__name__ = f"phase_{number}"
    return column


class PhaseColumnsMixin:
    """For TrackedSchoolAdmin: list_display may name phase_1 … phase_5 and severity (the bureau's
    decision where it made one, else the rule's)."""

    phase_1, phase_2, phase_3, phase_4, phase_5 = (phase_column(number) for number in progress.NUMBERS)

    @admin.display(description=_("问题严重"))
    def severity(self, obj):
        return severity_cell(obj, short=True)

    def get_changelist(self, request, **kwargs):
        return PhaseChangeList


def _scoped_tracked(request):
    tracked = TrackedSchool.objects.select_related("school", "campaign")
    if is_bureau_wide(request.user):
        return tracked
    return tracked.filter(school__in=visible_schools(request.user))


class TrackedChoiceMixin:
    """A tracked school chosen on a form must be in the user's scope."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is TrackedSchool:
            kwargs["queryset"] = _scoped_tracked(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class VisitAdminForm(forms.ModelForm):
    class Meta:
        model = InspectionVisit
        fields = ("tracked", "visited_on", "inspectors", "findings", "signed_off", "signed_off_on")

    def clean(self):
        data = super().clean()
        tracked, visited_on = data.get("tracked"), data.get("visited_on")
        if tracked is not None and visited_on is not None:
            try:
                visit_day_check(campaign=tracked.campaign, visited_on=visited_on)
            except ValidationError as error:
                self.add_error("visited_on", error)
        signed = data.get("signed_off_on")
        if data.get("signed_off") and not signed:
            self.add_error("signed_off_on", gettext("已签字确认的核查须填写确认日期。"))
        if not data.get("signed_off") and signed:
            self.add_error("signed_off", gettext("填写了确认日期，请勾选“已签字确认”。"))
        if signed and signed > timezone.localdate():
            self.add_error("signed_off_on", gettext("确认日期 %(day)s 晚于今天。") % {"day": signed})
        return data


@admin.register(InspectionVisit)
class InspectionVisitAdmin(TrackedChoiceMixin, ScopedAdminMixin, HistoryAdmin):
    scope_path = "tracked__school"
    form = VisitAdminForm
    list_display = (
        "tracked",
        "town",
        "visited_on",
        "inspectors",
        "signed_off",
        "signed_off_on",
        "signed_off_by",
    )
    list_select_related = ("tracked__school__region", "signed_off_by")
    list_filter = ("signed_off", "tracked__campaign", "tracked__school__region")
    search_fields = ("tracked__school__code", "tracked__school__name", "inspectors")
    autocomplete_fields = ("tracked",)
    readonly_fields = ("signed_off_by", "recorded_by")
    date_hierarchy = "visited_on"

    @admin.display(description=_("所属镇街"), ordering="tracked__school__region__name")
    def town(self, obj):
        return obj.tracked.school.region

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        if not obj.signed_off:
            obj.signed_off_by = obj.signed_off_on = None
        elif obj.signed_off_by_id is None:
            obj.signed_off_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LedgerItem)
class LedgerItemAdmin(HistoryAdmin):
    list_display = ("name", "campaign", "order")
    list_select_related = ("campaign",)
    list_filter = ("campaign",)
    search_fields = ("name",)


class LedgerEntryAdminForm(forms.ModelForm):
    class Meta:
        model = LedgerEntry
        fields = ("tracked", "item", "completed_on", "note")

    def clean(self):
        data = super().clean()
        tracked, item, completed_on = data.get("tracked"), data.get("item"), data.get("completed_on")
        if tracked is not None and item is not None and item.campaign_id != tracked.campaign_id:
            self.add_error("item", gettext("台账项目“%(item)s”不属于该跟踪学校的创建工作。") % {"item": item})
        if completed_on and completed_on > timezone.localdate():
            self.add_error("completed_on", gettext("完成日期 %(day)s 晚于今天。") % {"day": completed_on})
        return data


@admin.register(LedgerEntry)
class LedgerEntryAdmin(TrackedChoiceMixin, ScopedAdminMixin, HistoryAdmin):
    scope_path = "tracked__school"
    form = LedgerEntryAdminForm
    list_display = ("tracked", "item", "completed_on", "recorded_by")
    list_select_related = ("tracked__school", "item", "recorded_by")
    list_filter = ("item__campaign", "item", "tracked__school__region")
    search_fields = ("tracked__school__code", "tracked__school__name", "item__name")
    autocomplete_fields = ("tracked",)
    readonly_fields = ("recorded_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
