"""Reads for the city's targets and the what-if, each a fixed number of queries whatever the
number of schools.

Scope: a user sees the targets computed over the schools of the campaign's county that are in
their scope. For the bureau (and any user whose scope holds the whole county) that is the city's
figure; for a town's officer it is the town's, and the page says so. Entered targets are
city-wide figures the bureau entered, the same for everyone who may see the page.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from phases import targets, whatif
from phases.models import CityTargetValue, Gap
from schools.access import is_bureau_wide, visible_schools
from schools.coverage import Coverage, balance_year, coverage_by_year
from schools.fields import REPORT_KEYS
from schools.models import AnnualReport, School
from standards.models import BalanceRule
from standards.selectors import indicator_specs, needed_keys, reports_for, school_inputs, split_weights
from standards.services import Specs


@dataclass(frozen=True)
class TargetRow:
    target: object
    measured: targets.Measured
    entered: object = None  # the CityTargetValue of an entered target, if any
    provisional: bool = False  # computed from a year some schools have not reported yet


@dataclass(frozen=True)
class TargetYear:
    year: int
    coverage: Coverage
    rows: list


def spec_of(target):
    return targets.TargetSpec(
        measure=target.measure,
        comparison=target.comparison,
        threshold=target.threshold,
        school_limit=target.school_limit,
        school_types=tuple(target.school_types or ()),
    )


def figures_by_year(reports):
    """{year: [SchoolFigures…]} of `reports` (approved reports), the fields the targets read."""
    rows = reports.order_by("year", "school__code").values_list(
        "year", "school__code", "school__name", "school__school_type", "school__ownership", *targets.KEYS
    )
    found = defaultdict(list)
    for year, code, name, school_type, ownership, *values in rows:
        found[year].append(
            targets.SchoolFigures(
                code, name, school_type, ownership, dict(zip(targets.KEYS, values, strict=True))
            )
        )
    return found


def city_targets(*, campaign, user):
    """The campaign's targets for every year with approved reports (or entered values), newest
    first, computed over the county's schools in `user`'s scope.

    Returns {"years": [TargetYear…], "whole_city": bool, "schools": schools counted}.
    """
    county = School.objects.in_region(campaign.region)
    schools = visible_schools(user).filter(pk__in=county.values("pk"))
    whole_city = is_bureau_wide(user) or schools.count() == county.count()
    target_list = list(campaign.targets.order_by("order", "code"))
    entered = {
        (row.target_id, row.year): row
        for row in CityTargetValue.objects.filter(target__campaign=campaign).select_related("entered_by")
    }
    figures = figures_by_year(AnnualReport.objects.approved().filter(school__in=schools))
    years = sorted(set(figures) | {year for _target, year in entered}, reverse=True)
    coverage = coverage_by_year(schools, years)
    found = []
    for year in years:
        rows = []
        for target in target_list:
            spec = spec_of(target)
            if target.is_entered:
                value = entered.get((target.pk, year))
                measured = targets.entered(spec, None if value is None else value.value)
                rows.append(TargetRow(target, measured, entered=value))
            else:
                measured = targets.measure(spec, figures.get(year, []))
                rows.append(TargetRow(target, measured, provisional=not coverage[year].complete))
        found.append(TargetYear(year, coverage[year], rows))
    return {"years": found, "whole_city": whole_city}


# --- What-if ---------------------------------------------------------------------------------------


def whatif_gaps(*, campaign, user):
    """The campaign's gaps in `user`'s scope, with their school, indicator and plan (if any),
    ordered by school."""
    return (
        Gap.objects.filter(tracked__campaign=campaign, tracked__school__in=visible_schools(user))
        .select_related("tracked__school__region", "indicator", "plan")
        .order_by("tracked__school__code", "indicator__order", "part")
    )


def is_planned(gap):
    """Whether `gap` (read with its plan) has a rectification plan and is not closed or waived:
    what "every planned gap" closes."""
    return gap.status in Gap.UNRESOLVED and hasattr(gap, "plan")


def _latest_reports(school_ids):
    latest = (
        AnnualReport.objects.approved().filter(school=OuterRef("school")).order_by("-year").values("pk")[:1]
    )
    return AnnualReport.objects.filter(school_id__in=school_ids, pk=Subquery(latest))


def campaign_balance_year(campaign):
    """(year, coverage): the year whose difference coefficients the what-if moves (the latest
    year every active school of the county has an approved report for, else the latest with
    any), and the coverage of each year with approved reports."""
    county = School.objects.in_region(campaign.region)
    years = list(
        AnnualReport.objects.approved()
        .filter(school__in=county)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    coverage = coverage_by_year(county, years)
    return balance_year(coverage), coverage


@dataclass
class WhatIf:
    schools: list  # [whatif.SchoolOutcome]
    year: int | None  # the balance year
    coverage: Coverage | None
    balance_before: dict | None
    balance_after: dict | None
    mode: str | None
    not_in_balance: list  # SchoolOutcomes whose latest report is not of the balance year
    no_report: list  # schools of chosen gaps with no approved report


def whatif_compute(*, campaign, gaps):
    """The what-if for `gaps` (a list of the campaign's Gaps, with tracked__school): each
    school's compliance against the campaign's standard before and after, and the county's
    difference coefficients of the balance year before and after. Reads only."""
    by_school = defaultdict(list)
    for gap in gaps:
        by_school[gap.tracked.school_id].append(whatif.GapRef(gap.pk, gap.indicator.code, gap.part))
    reports = _latest_reports(list(by_school))
    read = {pk: (year, school_id) for pk, year, school_id in reports.values_list("pk", "year", "school_id")}
    latest = {school.report_id: school for school in school_inputs(reports, REPORT_KEYS)}
    years = {pk: year for pk, (year, _school) in read.items()}
    school_of = {pk: school_id for pk, (_year, school_id) in read.items()}
    specs = Specs(campaign.standard)
    outcomes = []
    for report_id, school in sorted(latest.items(), key=lambda pair: pair[1].code):
        outcomes.append(whatif.close_gaps(specs, school, years[report_id], by_school[school_of[report_id]]))
    reported = set(school_of.values())
    no_report = sorted({gap.tracked.school for gap in gaps if gap.tracked.school_id not in reported}, key=str)
    result = WhatIf(outcomes, None, None, None, None, None, [], no_report)
    rule = BalanceRule.objects.filter(standard=campaign.balance_standard).first()
    year, coverage = campaign_balance_year(campaign)
    if rule is None or year is None or not outcomes:
        return result
    indicators = indicator_specs(campaign.balance_standard)
    weights = split_weights(campaign.balance_standard)
    inputs = school_inputs(reports_for(year=year, region=campaign.region), needed_keys(indicators))
    replaced = {o.school.report_id: o.after_values for o in outcomes if o.year == year}
    result.year, result.coverage, result.mode = year, coverage[year], rule.mode
    result.balance_before = whatif.balance(inputs, indicators, rule, weights)
    result.balance_after = whatif.balance(whatif.with_values(inputs, replaced), indicators, rule, weights)
    result.not_in_balance = [o for o in outcomes if o.year != year]
    return result
