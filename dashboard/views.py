"""The leadership group's read-only pages, and the one write they offer: recomputing stale results.

No GET here writes: stored compliance is recomputed by whatever changes its inputs (approval,
import, the admin, `evaluate`). What was changed behind their back (SQL, loaddata) is reported
on the page as stale, and recomputed by a POST of someone who may change standards or reports.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from dashboard.filters import compliance_filterset, with_defaults
from dashboard.forms import BalanceFilter
from dashboard.selectors import (
    compliance_rows,
    registry_counts,
    report_years,
    school_history,
    standing_by_year,
)
from dashboard.selectors_counties import default_balance_standard
from dashboard.tables import ComplianceTable
from phases.selectors import campaign_phases, current_campaign
from phases.selectors_work import work_summary
from reporting.contexts import home_summary
from reporting.permissions import REVIEW, allows
from schools.access import county_for, school_for, visible_schools
from schools.coverage import balance_year, coverage_by_year
from schools.models import School
from standards.balance import balance_compute
from standards.models import BalanceRule, Standard
from standards.outputs import school_rows
from standards.selectors import school_standards, stale_counts
from standards.services import compliance_refresh


def _may_recompute(user):
    """Those who change what results are computed from: standards, or reports by approving them."""
    return user.has_perm("standards.change_standard") or allows(user, REVIEW)


def _stale(request, standard, years, schools):
    """What the page says about stored results of `standard` that are out of date, or None."""
    approved, dropped = stale_counts(standard, years=years, schools=schools)
    if not approved and not dropped:
        return None
    return {"approved": approved, "dropped": dropped, "can_recompute": _may_recompute(request.user)}


def _balance_summary(campaign, years):
    """The home page's balance: the verdict of the latest year every active school reported,
    and the newer years still incomplete, each with how many schools are missing."""
    coverage = coverage_by_year(School.objects.in_region(campaign.region), years)
    year = balance_year(coverage)
    if year is None:
        return {}
    if not coverage[year].complete:
        return {"pending": [coverage[year]]}
    pending = [coverage[newer] for newer in years if newer > year]
    balance = None
    if BalanceRule.objects.filter(standard=campaign.balance_standard).exists():
        balance = balance_compute(standard=campaign.balance_standard, year=year, region=campaign.region)
    return {"pending": pending, "balance": balance, "latest": year}


def home(request):
    campaign = current_campaign()
    years = report_years()
    context = {"years": years, "reporting": home_summary(request.user, campaign)}
    if campaign is not None:
        shown = sorted({campaign.baseline_year, *years})
        schools = visible_schools(request.user).in_region(campaign.region)
        standing = standing_by_year(standard=campaign.standard, years=shown, schools=schools)
        coverage = coverage_by_year(School.objects.in_region(campaign.region), shown)
        for row in standing:
            # A year not every active school of the county has an approved report for gives no verdict yet.
            row["missing"] = coverage[row["year"]].missing
        context.update(
            standing=standing,
            stale=_stale(request, campaign.standard, shown, schools),
            registry=registry_counts(schools),
            phases=campaign_phases(campaign),
            # The clerk's and the reviewer's own work (anyone else's when they own some).
            work=work_summary(request.user, timezone.localdate()),
            **_balance_summary(campaign, years),
        )
    return render(request, "dashboard/home.html", context)


def compliance(request):
    years = report_years()
    schools = visible_schools(request.user)
    filterset = compliance_filterset(request, current_campaign(), years, compliance_rows(schools=schools))
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    standard, year = data.get("standard"), data.get("year")
    table = stale = None
    if standard is not None and year is not None:
        exclude = () if standard.evaluation_unit == Standard.Unit.LEVEL else ("part",)
        table = ComplianceTable(filterset.qs, exclude=exclude)
        RequestConfig(request, paginate={"per_page": 100}).configure(table)
        stale = _stale(request, standard, [year], schools)
    form = filterset.form
    context = {
        "form": form,
        "table": table,
        "standard": standard,
        "year": year,
        "years": years,
        "stale": stale,
        # A year asked for in the address that has no approved report: say so, offer the others.
        "unknown_year": request.GET.get("year") if "year" in form.errors else None,
    }
    return render(request, "dashboard/compliance.html", context)


def balance(request):
    """The balance of the campaign's county, or of `?county=<code>` when the user sees that
    county whole (404 otherwise: the county table links here)."""
    campaign = current_campaign()
    chosen = request.GET.get("county")
    county = county_for(request.user, chosen) if chosen else campaign.region if campaign else None
    years = report_years()
    coverage = coverage_by_year(School.objects.in_region(county), years) if county else {}
    standard = (
        default_balance_standard(campaign) if chosen else campaign.balance_standard if campaign else None
    )
    defaults = with_defaults(
        request.GET, standard=standard.code if standard else None, year=balance_year(coverage)
    )
    form = BalanceFilter(defaults, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    standard, year = data.get("standard"), data.get("year")
    result = None
    has_rule = standard is not None and BalanceRule.objects.filter(standard=standard).exists()
    if has_rule and year is not None and county is not None:
        result = balance_compute(standard=standard, year=year, region=county)
        for block in result["levels"].values():
            block["rows"] = school_rows(block)
    context = {
        "form": form,
        "result": result,
        "standard": standard,
        "coverage": coverage.get(year),
        "county": county if chosen else None,
    }
    return render(request, "dashboard/balance.html", context)


def school(request, code):
    found = school_for(request.user, code)
    return render(request, "dashboard/school.html", {"school": found, "reports": school_history(found)})


@require_POST
def recompute(request):
    """Recompute the stored results that are stale, of every per-school standard and year, then
    go back to the page the button was on. Results derive from approved reports alone, so the
    whole county is recomputed whatever the user's scope: nobody's figures change."""
    if not _may_recompute(request.user):
        raise PermissionDenied
    count = sum(compliance_refresh(standard=standard) for standard in school_standards())
    messages.success(request, _("已重新计算 %(n)s 份年报的达标结果。") % {"n": count})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("home")
    return redirect(target)
