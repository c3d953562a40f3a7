"""Reads for the leadership's pages: each a fixed number of queries whatever the data size."""

from django.db.models import Count, Prefetch, Q

from schools.models import AnnualReport
from standards.models import ComplianceSummary
from standards.selectors import summary_items


def compliance_rows(*, schools):
    """Stored results for `schools` (a queryset: the user's scope), worst first, each with its
    school (its items decoded by the page, `standards.selectors.summary_items`);
    `dashboard.filters.ComplianceFilterSet` picks the standard, the year and the rest."""
    return (
        ComplianceSummary.objects.filter(report__school__in=schools)
        .select_related("report__school__region")
        .order_by("-failed_count", "report__school__code", "part")
    )


def standing_by_year(*, standard, years, schools):
    """Per year, over `schools`: reports evaluated, schools passing the rule, and schools
    failing 2+ items."""
    counts = (
        ComplianceSummary.objects.filter(
            standard=standard, report__year__in=years, report__school__in=schools
        )
        .values("report__year")
        .annotate(
            units=Count("pk"),
            passing=Count("pk", filter=Q(passed_rule=True)),
            failing=Count("pk", filter=Q(passed_rule=False)),
            two_plus=Count("pk", filter=Q(failed_count__gte=2)),
        )
    )
    by_year = {row["report__year"]: row for row in counts}
    return [
        {"year": year, **by_year.get(year, {"units": 0, "passing": 0, "failing": 0, "two_plus": 0})}
        for year in years
    ]


def registry_counts(schools):
    return schools.aggregate(
        active=Count("pk", filter=Q(is_active=True)), closed=Count("pk", filter=Q(is_active=False))
    )


def report_years():
    """The years with approved reports, newest first. Drafts and submissions are one person's
    work in progress: the year the leadership reads about never follows them."""
    return list(AnnualReport.objects.approved().order_by("-year").values_list("year", flat=True).distinct())


def school_history(school):
    """A school's reports, newest first, each with its stored results and all their items (in
    `stored_items`, see `standards.selectors.summary_items`): three queries."""
    reports = list(
        AnnualReport.objects.filter(school=school)
        .prefetch_related(Prefetch("compliance", ComplianceSummary.objects.select_related("standard")))
        .order_by("-year")
    )
    summary_items([summary for report in reports for summary in report.compliance.all()])
    return reports
