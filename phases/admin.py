from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The city's work (tasks, meetings, attachments, deliveries) registers its own admin.
from phases import admin_city  # noqa: F401
from phases.admin_progress import PhaseColumnsMixin, PhaseStateFilter
from phases.exports_matrix import matrix_workbook
from phases.models import (
    Campaign,
    CityTarget,
    CityTargetValue,
    Evidence,
    Gap,
    LeadershipUnit,
    Phase,
    RectificationPlan,
    ReminderLog,
    Task,
    TrackedSchool,
    UnitCost,
)
from phases.selectors_gaps import owner_choices
from phases.selectors_matrix import matrix_rows, phase_names
from phases.services import campaign_enrol, gaps_follow_merger, plan_check, plan_save
from schools.admin_history import HistoryAdmin
from schools.admin_scope import ScopedAdminMixin, SystemRecordAdmin
from schools.spreadsheets import xlsx_response


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("number", "name", "starts_on", "ends_on")


class LeadershipInline(admin.TabularInline):
    model = LeadershipUnit
    extra = 0
    fields = ("order", "role", "name")


@admin.register(Campaign)
class CampaignAdmin(HistoryAdmin):
    list_display = (
        "name",
        "region",
        "standard",
        "balance_standard",
        "baseline_year",
        "evaluation_year",
        "data_year",
        "is_current",
        "is_demo",
    )
    list_select_related = ("region", "standard", "balance_standard")
    list_filter = ("is_current", "is_demo")
    search_fields = ("name",)
    autocomplete_fields = ("region",)
    inlines = [PhaseInline, LeadershipInline]
    actions = ["enrol"]

    @admin.action(description=_("从基准年数据确定跟踪学校"), permissions=["change"])
    def enrol(self, request, queryset):
        for campaign in queryset:
            try:
                created = campaign_enrol(campaign=campaign, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                continue
            self.message_user(
                request,
                gettext("%(campaign)s：新增跟踪学校 %(count)s 所（已跟踪的学校保持不变）。")
                % {"campaign": campaign, "count": len(created)},
            )


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ("order", "code", "title")


@admin.register(Phase)
class PhaseAdmin(HistoryAdmin):
    list_display = ("number", "name", "campaign", "starts_on", "ends_on")
    list_select_related = ("campaign",)
    list_filter = ("campaign",)
    search_fields = ("name",)
    inlines = [TaskInline]


@admin.register(LeadershipUnit)
class LeadershipUnitAdmin(HistoryAdmin):
    list_display = ("name", "role", "campaign", "order")
    list_select_related = ("campaign",)
    list_filter = ("role", "campaign")
    search_fields = ("name",)


class GapInline(admin.TabularInline):
    model = Gap
    extra = 0
    fields = ("indicator", "part", "category", "baseline_value", "threshold", "shortfall", "unit", "status")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrackedSchool)
class TrackedSchoolAdmin(PhaseColumnsMixin, ScopedAdminMixin, HistoryAdmin):
    """Tracked schools come from enrolment (or the add service): the bureau records here its own
    decision on severity, with a reason. The list shows each school's five phases, as the matrix
    page does."""

    scope_path = "school"
    list_display = (
        "school",
        "town",
        "severity",
        "phase_1",
        "phase_2",
        "phase_3",
        "phase_4",
        "phase_5",
    )
    list_select_related = ("school__region", "campaign")
    list_filter = ("campaign", PhaseStateFilter, "source", "severe", "severity_override", "school__region")
    search_fields = ("school__code", "school__name")
    readonly_fields = ("campaign", "school", "enrolled_on", "source", "baseline_failed", "severe")
    fields = (*readonly_fields, "reason", "severity_override", "override_reason")
    inlines = [GapInline]
    actions = ["export_matrix", "follow_merger"]

    @admin.display(description=_("所属镇街"), ordering="school__region__name")
    def town(self, obj):
        return obj.school.region

    @admin.action(description=_("导出所选学校的五个阶段（Excel）"), permissions=["view"])
    def export_matrix(self, request, queryset):
        """The matrix page's .xlsx, for the rows chosen here (the list is already in the scope)."""
        tracked = queryset.select_related("school__region", "campaign").order_by("school__code")
        campaign = tracked[0].campaign if tracked else None
        return xlsx_response(
            matrix_workbook(matrix_rows(tracked), phase_names(campaign)), "campaign-matrix.xlsx"
        )

    @admin.action(description=_("撤并学校：未达标项转入并入学校或随撤并销项"), permissions=["change"])
    def follow_merger(self, request, queryset):
        """A closed school's unresolved gaps follow it to the school it merged into (see
        phases.services.gaps_follow_merger); a school still open is left as it is."""
        schools = {tracked.school_id: tracked.school for tracked in queryset.select_related("school")}
        for school in sorted(schools.values(), key=lambda s: s.code):
            try:
                found = gaps_follow_merger(school=school, user=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.WARNING)
                continue
            self.message_user(
                request,
                gettext("%(school)s：转入并入学校 %(moved)s 项，随撤并销项 %(resolved)s 项。")
                % {"school": school, "moved": len(found["moved"]), "resolved": len(found["resolved"])},
            )

    def has_add_permission(self, request):
        return False


@admin.register(Gap)
class GapAdmin(ScopedAdminMixin, HistoryAdmin):
    """A gap closes only through an approved report (see phases.services.gaps_reconcile): its
    baseline and closing fields are read here, not typed."""

    scope_path = "tracked__school"
    list_display = ("tracked", "indicator", "part", "category", "shortfall", "unit", "status", "closed_by")
    list_select_related = ("tracked__school", "indicator", "closed_by__school")
    list_filter = ("status", "category", "tracked__school__region", "tracked__campaign")
    search_fields = ("tracked__school__code", "tracked__school__name")
    readonly_fields = (
        "tracked",
        "indicator",
        "part",
        "category",
        "baseline_value",
        "threshold",
        "shortfall",
        "unit",
        "closed_on",
        "closed_by",
    )
    fields = (*readonly_fields, "status", "waiver_reason")

    def has_add_permission(self, request):
        return False


class PlanAdminForm(forms.ModelForm):
    """The plan's change form, checked as the gap's page checks it (phases.services.plan_check)."""

    user = None  # set by RectificationPlanAdmin.get_form

    class Meta:
        model = RectificationPlan
        fields = ("measure", "responsible_unit", "owner", "deadline", "notes")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["deadline"] = plan_check(
                gap=self.instance.gap,
                user=self.user,
                measure=data.get("measure"),
                responsible_unit=data.get("responsible_unit"),
                deadline=data.get("deadline"),
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages_)
        return data


@admin.register(RectificationPlan)
class RectificationPlanAdmin(ScopedAdminMixin, HistoryAdmin):
    """A plan is made on its gap's page; here it is read, and changed through the same service
    (its deadline within the campaign, its measure fitting the gap, its cost recomputed)."""

    scope_path = "gap__tracked__school"
    form = PlanAdminForm
    list_display = ("gap", "measure", "responsible_unit", "owner", "deadline", "estimated_cost")
    list_select_related = ("gap__tracked__school", "gap__indicator", "owner")
    list_filter = ("measure", "gap__category", "gap__tracked__school__region")
    search_fields = ("gap__tracked__school__code", "gap__tracked__school__name", "responsible_unit")
    readonly_fields = ("gap", "estimated_cost")
    fields = ("gap", "measure", "responsible_unit", "owner", "deadline", "estimated_cost", "notes")

    def has_add_permission(self, request):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            plan = self.get_object(request, request.resolver_match.kwargs.get("object_id"))
            if plan is not None:
                kwargs["queryset"] = owner_choices(plan.gap.tracked.school)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        plan = plan_save(
            gap=obj.gap,
            user=request.user,
            measure=data["measure"],
            responsible_unit=data["responsible_unit"],
            owner=data["owner"],
            deadline=data["deadline"],
            notes=data["notes"],
        )
        obj.estimated_cost = plan.estimated_cost


@admin.register(Evidence)
class EvidenceAdmin(ScopedAdminMixin, HistoryAdmin):
    """Evidence is uploaded on its gap's page (its content checked) and judged there by a
    reviewer; here it is read, its file downloaded through the same scoped view."""

    scope_path = "gap__tracked__school"
    list_display = ("original_name", "gap", "kind", "effective_on", "decision", "uploaded_by", "uploaded_at")
    list_select_related = ("gap__tracked__school", "gap__indicator", "uploaded_by")
    list_filter = ("decision", "kind", "gap__tracked__school__region", "gap__tracked__campaign")
    search_fields = ("original_name", "gap__tracked__school__code", "gap__tracked__school__name")
    readonly_fields = (
        "gap",
        "download",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "effective_on",
        "delivery",
        "decision",
        "decided_by",
        "decided_at",
        "decision_reason",
    )
    fields = (*readonly_fields[:7], "kind", "note", *readonly_fields[7:])

    @admin.display(description=_("文件"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("phases:evidence_file", args=[obj.pk]), gettext("下载")
        )

    def has_add_permission(self, request):
        return False

    # Deleting (the bureau administrator's right alone: a file uploaded by mistake) removes the
    # stored file too, once the deletion is committed; the history keeps the row's last state.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _delete_files_on_commit([obj])

    def delete_queryset(self, request, queryset):
        files = list(queryset)
        super().delete_queryset(request, queryset)
        _delete_files_on_commit(files)


def _delete_files_on_commit(stored):
    names = [(item.file.storage, item.file.name) for item in stored if item.file]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@admin.register(UnitCost)
class UnitCostAdmin(HistoryAdmin):
    list_display = ("indicator", "cost", "unit", "is_sample")
    list_select_related = ("indicator__standard",)
    list_filter = ("is_sample", "indicator__standard")
    search_fields = ("indicator__code", "indicator__name")
    autocomplete_fields = ("indicator",)


@admin.register(ReminderLog)
class ReminderLogAdmin(SystemRecordAdmin):
    """What the daily reminders e-mailed to whom: written by `send_reminders` only, read by the
    bureau's administrators (a user's reminders may name any town's schools)."""

    list_display = ("sent_on", "user", "kind", "item_id", "due_on", "sent_at")
    list_filter = ("kind", "sent_on")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    date_hierarchy = "sent_on"


@admin.register(CityTarget)
class CityTargetAdmin(HistoryAdmin):
    """The city's targets and their thresholds, as data; their yearly values are on the targets
    page (computed from approved reports, or entered there with a file)."""

    list_display = (
        "name",
        "code",
        "plan_ref",
        "measure",
        "comparison",
        "threshold",
        "unit",
        "campaign",
        "order",
    )
    list_select_related = ("campaign",)
    list_filter = ("campaign", "measure", "plan_ref")
    search_fields = ("code", "name", "plan_ref")


@admin.register(CityTargetValue)
class CityTargetValueAdmin(HistoryAdmin):
    """Read here; entered on the targets page, where the file is checked
    (phases.services_targets.target_value_enter)."""

    list_display = ("target", "year", "value", "entered_by", "entered_at", "original_name")
    list_select_related = ("target", "entered_by")
    list_filter = ("target__campaign", "target", "year")
    search_fields = ("target__name", "target__code", "note")
    fields = ("target", "year", "value", "note", "original_name", "entered_by", "entered_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
