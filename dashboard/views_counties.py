"""The county table: every county of the user's scope with its counts and its balance, on a page
and as an .xlsx file of the same rows. A scope of towns or schools holds no whole county."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from dashboard.exports import counties_workbook
from dashboard.filters import with_defaults
from dashboard.forms import BalanceFilter
from dashboard.selectors import report_years
from dashboard.selectors_counties import county_table_rows, default_balance_standard
from dashboard.tables import county_table
from phases.selectors import current_campaign
from schools.access import require, visible_counties
from schools.spreadsheets import xlsx_response

# Seeing regions is what the county table needs: every role but the school clerk holds it.
PERMISSION = "schools.view_region"


def _filtered(request):
    """(form, columns, rows) for the request's standard and year (defaults: the campaign's
    balance standard, the latest year with approved reports)."""
    require(request.user, PERMISSION)
    years = report_years()
    standard = default_balance_standard(current_campaign())
    defaults = with_defaults(
        request.GET, standard=standard.code if standard else None, year=years[0] if years else None
    )
    form = BalanceFilter(defaults, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    columns, rows = county_table_rows(
        counties=visible_counties(request.user), standard=data.get("standard"), year=data.get("year")
    )
    return form, columns, rows


@require_safe
def counties(request):
    form, columns, rows = _filtered(request)
    table = county_table(columns, rows)
    RequestConfig(request, paginate=False).configure(table)
    context = {"form": form, "table": table, "rows": rows, "standard": form.cleaned_data.get("standard")}
    return render(request, "dashboard/counties.html", context)


@require_safe
def counties_export(request):
    form, columns, rows = _filtered(request)
    if form.errors:
        return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain; charset=utf-8")
    year = form.cleaned_data.get("year")
    return xlsx_response(
        counties_workbook(columns, rows), f"counties-{year}.xlsx" if year else "counties.xlsx"
    )
