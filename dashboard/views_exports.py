"""Downloads: the filtered lists as .xlsx files.

Every file starts from visible_schools() or visible_reports(), so no row outside the user's
scope reaches it; the model's view permission decides whether the user may download at all (403).
A filter that does not validate answers 400 rather than being dropped: a mistyped town must not
turn into an export of the whole county.
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponseBadRequest
from django.views.decorators.http import require_safe

from dashboard import exports
from dashboard.filters import ReportFilterSet, SchoolFilterSet, compliance_filterset
from dashboard.selectors import compliance_rows, report_years
from phases.selectors import current_campaign
from schools.access import visible_reports, visible_schools
from schools.spreadsheets import xlsx_response


def _rejected(filterset):
    return HttpResponseBadRequest(filterset.errors.as_text(), content_type="text/plain; charset=utf-8")


@require_safe
@permission_required("schools.view_school", raise_exception=True)
def export_schools(request):
    filterset = SchoolFilterSet(request.GET, visible_schools(request.user))
    if not filterset.is_valid():
        return _rejected(filterset)
    schools = filterset.qs.select_related("region", "parent").order_by("code")
    return xlsx_response(exports.schools_workbook(schools.iterator(chunk_size=2000)), "schools.xlsx")


@require_safe
@permission_required("schools.view_annualreport", raise_exception=True)
def export_reports(request):
    filterset = ReportFilterSet(request.GET, visible_reports(request.user))
    if not filterset.is_valid():
        return _rejected(filterset)
    reports = filterset.qs.select_related("school").order_by("-year", "school__code")
    year = filterset.form.cleaned_data["year"]
    name = f"reports-{year}.xlsx" if year else "reports.xlsx"
    return xlsx_response(exports.reports_workbook(reports.iterator(chunk_size=2000)), name)


@require_safe
@permission_required("standards.view_compliancesummary", raise_exception=True)
def export_compliance(request):
    rows = compliance_rows(schools=visible_schools(request.user))
    filterset = compliance_filterset(request, current_campaign(), report_years(), rows)
    if not filterset.is_valid():
        return _rejected(filterset)
    data = filterset.form.cleaned_data
    standard, year = data["standard"], data["year"]
    # The stored results, as the page shows them; the page says when they are stale.
    items = exports.compliance_items(filterset.qs) if standard is not None and year is not None else []
    name = f"compliance-{year}.xlsx" if year else "compliance.xlsx"
    return xlsx_response(exports.compliance_workbook(items), name)
