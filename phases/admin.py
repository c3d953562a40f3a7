from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phases.admin_progress import PhaseColumnsMixin, PhaseStateFilter
from phases.models import (
    Campaign,
    Gap,
    LeadershipUnit,
    Phase,
    RectificationPlan,
    Task,
    TrackedSchool,
    UnitCost,
)
from phases.services import campaign_enrol
from schools.admin_history import HistoryAdmin
from schools.admin_scope import ScopedAdminMixin


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


@admin.register(Task)
class TaskAdmin(HistoryAdmin):
    list_display = ("code", "title", "phase")
    list_select_related = ("phase",)
    list_filter = ("phase__campaign", "phase")
    search_fields = ("code", "title")


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

    @admin.display(description=_("所属镇街"), ordering="school__region__name")
    def town(self, obj):
        return obj.school.region

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


@admin.register(RectificationPlan)
class RectificationPlanAdmin(ScopedAdminMixin, HistoryAdmin):
    scope_path = "gap__tracked__school"
    list_display = ("gap", "measure", "responsible_unit", "owner", "deadline", "estimated_cost")
    list_select_related = ("gap__tracked__school", "gap__indicator", "owner")
    list_filter = ("measure", "gap__category", "gap__tracked__school__region")
    search_fields = ("gap__tracked__school__code", "gap__tracked__school__name", "responsible_unit")
    autocomplete_fields = ("gap",)


@admin.register(UnitCost)
class UnitCostAdmin(HistoryAdmin):
    list_display = ("indicator", "cost", "unit", "is_sample")
    list_select_related = ("indicator__standard",)
    list_filter = ("is_sample", "indicator__standard")
    search_fields = ("indicator__code", "indicator__name")
