"""The admin console's annual reports (read, imported, exported, recomputed: never edited there)
and the bureau's report rules."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from reporting.importing.resource import AnnualReportResource
from reporting.models import ReportingYear, ReportRule
from reporting.permissions import REVIEW, allows
from schools.admin_fields import ReportFieldsAdminMixin
from schools.admin_history import HistoryAdmin
from schools.admin_import import TableImportMixin
from schools.admin_scope import ScopedAdminMixin
from schools.fields import SECTION_TITLES, SECTIONS
from schools.importing.uploads import ImportUploadForm
from schools.models import AnnualReport
from standards.admin import FailedFilter
from standards.selectors import summary_items
from standards.services import compliance_recompute


def plain_number(value):
    """A stored decimal without its trailing zeros: 2000000.000 → "2000000", 0.50 → "0.5"."""
    return format(value.normalize(), "f") if value is not None else "—"


class ReportFailedFilter(FailedFilter):
    """Reports by the worst standing against any per-school standard."""

    def queryset(self, request, queryset):
        value = self.value()
        if value == "0":
            return queryset.filter(compliance__failed_count=0).exclude(compliance__failed_count__gt=0)
        if value == "1":
            return queryset.filter(compliance__failed_count=1).distinct()
        if value == "2":
            return queryset.filter(compliance__failed_count__gte=2).distinct()
        return queryset


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedAdminMixin, TableImportMixin, ImportExportModelAdmin):
    scope_path = "school"
    import_batch_kind = "reports"
    resource_classes = [AnnualReportResource]
    import_form_class = ImportUploadForm
    list_display = ("school_code", "school", "town", "year", "status", "students_primary", "students_junior")
    list_filter = (
        "year",
        "status",
        "school__region",
        "school__school_type",
        "school__ownership",
        ReportFailedFilter,
    )
    list_select_related = ("school__region",)
    search_fields = ("school__code", "school__name")
    autocomplete_fields = ("school",)
    readonly_fields = ("revision", "updated_at", "compliance_view")
    fieldsets = (
        (None, {"fields": ("school", "year", "status", "revision", "updated_at")}),
        *((SECTION_TITLES[name], {"fields": keys, "classes": ["collapse"]}) for name, keys in SECTIONS),
        (_("达标情况"), {"fields": ("compliance_view",)}),
    )
    actions = ["recompute"]

    @admin.display(description=_("学校标识码"), ordering="school__code")
    def school_code(self, obj):
        return obj.school.code

    @admin.display(description=_("所属镇街"))
    def town(self, obj):
        return obj.school.region.name

    @admin.display(description=_("达标情况（只读）"))
    def compliance_view(self, obj):
        if not obj.pk:
            return "—"
        summaries = summary_items(
            obj.compliance.select_related("standard").order_by("standard__code", "part")
        )
        return render_to_string("standards/compliance_block.html", {"summaries": summaries, "report": obj})

    # A report is started on its page (年报填报) or imported, and its figures change there, through
    # the workflow: saved with the error rules, submitted, approved, reopened with a reason, each
    # step in its history. Here it is read (with its compliance), imported, exported, recomputed.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A report with a history (events, queries, explanations) stays: the database protects it
        # too, so "delete selected" shows Django's refusal for such reports.
        if obj is not None and (obj.events.exists() or obj.queries.exists() or obj.explanations.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def has_recompute_permission(self, request):
        # As the site's recompute button: those who change standards or review reports.
        return request.user.has_perm("standards.change_standard") or allows(request.user, REVIEW)

    @admin.action(description=_("重新计算所选年报的达标结果"), permissions=["recompute"])
    def recompute(self, request, queryset):
        written = compliance_recompute(reports=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("已重新计算 %(n)s 条达标结果", "已重新计算 %(n)s 条达标结果", written) % {"n": written},
        )


@admin.register(ReportRule)
class ReportRuleAdmin(ReportFieldsAdminMixin, HistoryAdmin):
    """The bureau's checks of the annual report: errors block saving and importing, warnings must
    be explained. Built-in rules keep what they check; their message, limits, severity and whether
    they apply can be changed. Fields are ticked by title (a rule's clean() says what is missing)."""

    report_fields_required = False

    # The limits in one column and "each field" left to the form: the list fits a 1366 px screen.
    list_display = ("code", "message", "severity", "kind", "limits", "is_active", "builtin")
    list_filter = ("severity", "kind", "is_active", "builtin")
    search_fields = ("code", "message")
    list_editable = ("is_active",)
    fields = (
        "code",
        "message",
        "severity",
        "kind",
        "numerator",
        "denominator",
        "each_field",
        "minimum",
        "maximum",
        "max_change_percent",
        "is_active",
        "builtin",
    )

    @admin.display(description=_("界限"))
    def limits(self, obj):
        if obj.kind == ReportRule.Kind.CHANGE:
            return _("±%(p)s%%") % {"p": plain_number(obj.max_change_percent)}
        if obj.kind == ReportRule.Kind.COMPARE:
            return _("不大于整体")
        if obj.minimum is not None and obj.maximum is not None:
            return f"{plain_number(obj.minimum)} – {plain_number(obj.maximum)}"
        if obj.minimum is not None:
            return f"≥ {plain_number(obj.minimum)}"
        return f"≤ {plain_number(obj.maximum)}"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.builtin:
            return ("code", "kind", "numerator_titles", "denominator_titles", "each_field", "builtin")
        return ("builtin",)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.builtin:
            return False  # it would come back with the next migrate: switch it off instead
        return super().has_delete_permission(request, obj)


@admin.register(ReportingYear)
class ReportingYearAdmin(HistoryAdmin):
    """The years the bureau opens for reporting: schools start only an open year's report."""

    list_display = ("year", "is_open", "deadline", "opened_at", "note")
    list_filter = ("is_open",)
