from django.contrib import admin

from phases.models import Campaign, LeadershipUnit, Phase, Task
from schools.admin_history import HistoryAdmin


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
