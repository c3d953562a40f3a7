"""Downloads: the filtered lists as .xlsx files.

Every file starts from visible_schools() or visible_reports(), so no row outside the user's
scope reaches it; the model's view permission decides whether the user may download at all (403).
A filter that does not validate answers 400 rather than being dropped: a mistyped town must not
turn into an export of the whole county.
"""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from dashboard import exports
from dashboard.forms import compliance_filter
from dashboard.selectors import compliance_rows, report_years
from phases.selectors import current_campaign
from schools.access import visible_reports, visible_schools
from schools.forms import YearField
from schools.importing.school_plan import TOWN_KINDS
from schools.levels import SchoolType
from schools.models import AnnualReport, Region
from schools.spreadsheets import xlsx_response
from standards.models import ComplianceResult


def _region_field():
    return forms.ModelChoiceField(
        Region.objects.filter(kind__in=TOWN_KINDS), label=_("镇街"), to_field_name="code", required=False
    )


class SchoolFilter(forms.Form):
    region = _region_field()
    school_type = forms.ChoiceField(
        label=_("办学类型"), choices=[("", _("全部")), *SchoolType.choices], required=False
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)


class ReportFilter(forms.Form):
    year = YearField(label=_("年度"), required=False)
    region = _region_field()
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *AnnualReport.Status.choices], required=False
    )


def _rejected(form):
    return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain; charset=utf-8")


def _in_region(rows, region, prefix=""):
    return (
        rows
        if region is None
        else rows.filter(**{f"{prefix}region_id__in": Region.objects.subtree_ids(region)})
    )


@require_safe
@permission_required("schools.view_school", raise_exception=True)
def export_schools(request):
    form = SchoolFilter(request.GET)
    if not form.is_valid():
        return _rejected(form)
    data = form.cleaned_data
    schools = _in_region(visible_schools(request.user), data["region"])
    if data["school_type"]:
        schools = schools.filter(school_type=data["school_type"])
    if data["q"]:
        schools = schools.filter(Q(code__startswith=data["q"]) | Q(name__contains=data["q"]))
    schools = schools.select_related("region", "parent").order_by("code")
    return xlsx_response(exports.schools_workbook(schools.iterator(chunk_size=2000)), "schools.xlsx")


@require_safe
@permission_required("schools.view_annualreport", raise_exception=True)
def export_reports(request):
    form = ReportFilter(request.GET)
    if not form.is_valid():
        return _rejected(form)
    data = form.cleaned_data
    reports = _in_region(visible_reports(request.user), data["region"], prefix="school__")
    if data["year"]:
        reports = reports.filter(year=data["year"])
    if data["status"]:
        reports = reports.filter(status=data["status"])
    reports = reports.select_related("school").order_by("-year", "school__code")
    name = f"reports-{data['year']}.xlsx" if data["year"] else "reports.xlsx"
    return xlsx_response(exports.reports_workbook(reports.iterator(chunk_size=2000)), name)


@require_safe
@permission_required("standards.view_compliancesummary", raise_exception=True)
def export_compliance(request):
    form, data = compliance_filter(request, current_campaign(), report_years())
    if not form.is_valid():
        return _rejected(form)
    standard, year = data.get("standard"), data.get("year")
    items = ComplianceResult.objects.none()
    if standard is not None and year is not None:
        # The stored results, as the page shows them; the page says when they are stale.
        summaries = compliance_rows(
            standard=standard,
            year=year,
            schools=visible_schools(request.user),
            region=data.get("region"),
            school_type=data.get("school_type"),
            failed=data.get("failed"),
            search=data.get("q"),
        )
        items = exports.compliance_items(summaries)
    name = f"compliance-{year}.xlsx" if year else "compliance.xlsx"
    return xlsx_response(exports.compliance_workbook(items), name)
