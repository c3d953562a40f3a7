from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schools.admin_fields import ReportFieldsAdminMixin
from schools.admin_history import HistoryAdmin
from schools.admin_scope import ScopedAdminMixin
from schools.levels import Level
from standards.models import (
    BalanceRule,
    ComplianceSummary,
    Indicator,
    PassRule,
    Standard,
    Threshold,
)
from standards.selectors import failing, summary_items
from standards.services import compliance_recompute, compliance_refresh


class PassRuleInline(admin.StackedInline):
    model = PassRule
    extra = 0
    max_num = 1


class BalanceRuleInline(admin.StackedInline):
    model = BalanceRule
    extra = 0
    max_num = 1


class StandardChangedMixin:
    """After any change to a standard or its parts, recompute the results it changed (its
    fingerprint tells which stored results are stale)."""

    def standard_of(self, obj):
        return obj.standard

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        standard = self.standard_of(form.instance)
        if standard.kind == Standard.Kind.SCHOOL:
            written = compliance_refresh(standard=standard)
            self.message_user(request, _("已按修改后的标准重新计算 %(n)s 份年报的达标结果") % {"n": written})


@admin.register(Standard)
class StandardAdmin(StandardChangedMixin, HistoryAdmin):
    list_display = ("code", "name", "kind", "evaluation_unit", "year", "is_sample")
    list_filter = ("kind", "is_sample")
    search_fields = ("code", "name")
    inlines = [PassRuleInline, BalanceRuleInline]
    actions = ["recompute"]

    def standard_of(self, obj):
        return obj

    def has_recompute_permission(self, request):
        # Those who change standards or reports: results are computed from both. (A clerk, who
        # changes reports, sees no standards.)
        user = request.user
        return user.has_perm("standards.change_standard") or user.has_perm("schools.change_annualreport")

    @admin.action(description=_("重新计算所选标准的达标结果"), permissions=["recompute"])
    def recompute(self, request, queryset):
        total = 0
        for standard in queryset.filter(kind=Standard.Kind.SCHOOL):
            total += compliance_recompute(standard=standard)
        self.message_user(
            request,
            ngettext("已重新计算 %(n)s 条达标结果", "已重新计算 %(n)s 条达标结果", total) % {"n": total},
            messages.SUCCESS,
        )


class ThresholdInline(admin.TabularInline):
    model = Threshold
    extra = 1
    fields = ("applies_to", "min_classes", "max_classes", "area_type", "value")


@admin.register(Indicator)
class IndicatorAdmin(ReportFieldsAdminMixin, StandardChangedMixin, HistoryAdmin):
    list_display = ("code", "name", "standard", "unit", "category", "direction", "scale")
    list_filter = ("standard", "category", "direction")
    list_select_related = ("standard",)
    search_fields = ("code", "name", "standard__code")
    autocomplete_fields = ("standard",)
    inlines = [ThresholdInline]


class FailedFilter(admin.SimpleListFilter):
    title = _("未达标项数")
    parameter_name = "failed"

    def lookups(self, request, model_admin):
        return [("0", _("全部达标")), ("1", _("1项")), ("2", _("2项及以上"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "0":
            return queryset.filter(failed_count=0)
        if value == "1":
            return queryset.filter(failed_count=1)
        if value == "2":
            return queryset.filter(failed_count__gte=2)
        return queryset


class FailedIndicatorFilter(admin.SimpleListFilter):
    """The results failing one indicator: which schools fail it (its shortfall in each result)."""

    title = _("未达标指标")
    parameter_name = "failing"

    def lookups(self, request, model_admin):
        indicators = Indicator.objects.filter(standard__kind=Standard.Kind.SCHOOL).select_related("standard")
        return [(str(i.pk), f"{i.standard.code} {i.code} {i.name}") for i in indicators]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return failing(queryset, int(value))
        return queryset


@admin.register(ComplianceSummary)
class ComplianceSummaryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "report__school"
    # The town is a filter, not a column: the list fits a 1366 px screen.
    list_display = (
        "school_code",
        "school_name",
        "year",
        "standard",
        "level",
        "failed_count",
        "failed_names",
        "passed_rule",
    )
    list_filter = (
        "standard",
        "report__year",
        FailedFilter,
        FailedIndicatorFilter,
        "passed_rule",
        "report__school__region",
        "report__school__school_type",
        "report__school__ownership",
    )
    list_select_related = ("report__school", "standard")
    search_fields = ("report__school__code", "report__school__name")
    readonly_fields = (
        "report",
        "standard",
        "level",
        "failed_count",
        "evaluated_count",
        "passed_rule",
        "computed_at",
        "items_view",
    )
    exclude = (
        "part",
        "report_revision",
        "standard_fingerprint",
        "values_fingerprint",
        "items",
        "failed_indicators",
    )

    def get_changelist_instance(self, request):
        """The page's results with their items decoded: one query for their indicators."""
        changelist = super().get_changelist_instance(request)
        changelist.result_list = summary_items(changelist.result_list)
        return changelist

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("学校标识码"), ordering="report__school__code")
    def school_code(self, obj):
        return obj.report.school.code

    @admin.display(description=_("学校名称"), ordering="report__school__name")
    def school_name(self, obj):
        return obj.report.school.name

    @admin.display(description=_("年度"), ordering="report__year")
    def year(self, obj):
        return obj.report.year

    @admin.display(description=_("学段"), ordering="part")
    def level(self, obj):
        return Level(obj.part).label if obj.part else _("整校")

    @admin.display(description=_("未达标指标"))
    def failed_names(self, obj):
        return "、".join(item.indicator.name for item in obj.failed_items) or "—"

    @admin.display(description=_("各指标结果"))
    def items_view(self, obj):
        return render_to_string("standards/compliance_block.html", {"summaries": summary_items([obj])})


@admin.register(Threshold)
class ThresholdAdmin(StandardChangedMixin, HistoryAdmin):
    # The blank choices say which "all" they mean (全部类型/学段, 城乡不限): not "全部" twice.
    list_display = ("indicator", "applies_to", "band", "area_type", "value")
    list_filter = ("indicator__standard", "applies_to", "area_type")
    list_select_related = ("indicator__standard",)
    search_fields = ("indicator__code", "indicator__name")
    autocomplete_fields = ("indicator",)

    def standard_of(self, obj):
        return obj.indicator.standard

    @admin.display(description=_("班数"), ordering="min_classes")
    def band(self, obj):
        return obj.band_label()


@admin.register(PassRule)
class PassRuleAdmin(StandardChangedMixin, HistoryAdmin):
    list_display = ("standard", "max_failed", "min_percent")
    list_select_related = ("standard",)


@admin.register(BalanceRule)
class BalanceRuleAdmin(HistoryAdmin):
    list_display = ("standard", "mode", "limit_primary", "limit_junior", "teaching_points", "include_private")
    list_select_related = ("standard",)
