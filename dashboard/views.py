"""The leadership group's read-only pages."""

from django.shortcuts import render
from django_tables2 import RequestConfig

from dashboard.forms import BalanceFilter, bound_filter, compliance_filter
from dashboard.selectors import (
    compliance_rows,
    registry_counts,
    report_years,
    school_history,
    standing_by_year,
)
from dashboard.tables import ComplianceTable
from phases.selectors import campaign_phases, current_campaign
from schools.access import school_for, visible_schools
from standards.balance import balance_compute
from standards.models import BalanceRule, Standard
from standards.services import compliance_refresh


def home(request):
    campaign = current_campaign()
    context = {"years": report_years()}
    if campaign is not None:
        years = sorted({campaign.baseline_year, *context["years"]})
        for year in years:
            compliance_refresh(standard=campaign.standard, year=year)
        latest = context["years"][0] if context["years"] else campaign.baseline_year
        balance = None
        if BalanceRule.objects.filter(standard=campaign.balance_standard).exists():
            balance = balance_compute(standard=campaign.balance_standard, year=latest, region=campaign.region)
        schools = visible_schools(request.user).in_region(campaign.region)
        context.update(
            standing=standing_by_year(standard=campaign.standard, years=years, schools=schools),
            registry=registry_counts(schools),
            balance=balance,
            latest=latest,
            phases=campaign_phases(campaign),
        )
    return render(request, "dashboard/home.html", context)


def compliance(request):
    form, data = compliance_filter(request, current_campaign(), report_years())
    standard, year = data.get("standard"), data.get("year")
    table = None
    if standard is not None and year is not None:
        compliance_refresh(standard=standard, year=year)
        rows = compliance_rows(
            standard=standard, year=year, schools=visible_schools(request.user), region=data.get("region"),
            school_type=data.get("school_type"),
            failed=data.get("failed"), search=data.get("q"),
        )
        exclude = () if standard.evaluation_unit == Standard.Unit.LEVEL else ("part",)
        table = ComplianceTable(rows, exclude=exclude)
        RequestConfig(request, paginate={"per_page": 100}).configure(table)
    context = {"form": form, "table": table, "standard": standard, "year": year}
    return render(request, "dashboard/compliance.html", context)


def balance(request):
    campaign = current_campaign()
    years = report_years()
    form, data = bound_filter(
        request, BalanceFilter, years,
        standard=campaign.balance_standard.code if campaign else None,
        year=years[0] if years else None,
    )
    standard, year = data.get("standard"), data.get("year")
    result = None
    has_rule = standard is not None and BalanceRule.objects.filter(standard=standard).exists()
    if has_rule and year is not None and campaign is not None:
        result = balance_compute(standard=standard, year=year, region=campaign.region)
    return render(request, "dashboard/balance.html", {"form": form, "result": result, "standard": standard})


def school(request, code):
    found = school_for(request.user, code)
    return render(request, "dashboard/school.html", {"school": found, "reports": school_history(found)})
