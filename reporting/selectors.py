"""Reads of the report pages; the lists (queue, completeness) take a fixed number of queries
whatever the number of schools."""

from django.db.models import Count, F, FilteredRelation, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from reporting.forms import field_label
from reporting.models import (
    FieldQuery,
    QueryMessage,
    ReportEvent,
    ReportingYear,
    ReportRule,
    WarningExplanation,
)
from reporting.rules import check_report
from schools import fields
from schools.models import AnnualReport, Region
from standards.preview import compliance_preview

Status = AnnualReport.Status
STATUSES = [status.value for status in Status]


def collecting_year(campaign=None):
    """The year being reported: the latest year the bureau has opened, else the campaign's
    baseline year, else this calendar year. Never the latest year of any report: a school that
    starts a year (or an import of a future one) does not move the county's reporting year."""
    latest = ReportingYear.objects.filter(is_open=True).aggregate(latest=Max("year"))["latest"]
    if latest:
        return latest
    return campaign.baseline_year if campaign else timezone.localdate().year


def is_open_year(year):
    return ReportingYear.objects.filter(year=year, is_open=True).exists()


def report_years():
    return list(AnnualReport.objects.order_by("-year").values_list("year", flat=True).distinct())


def school_years(school):
    return list(school.reports.order_by("year").values_list("year", "status"))


def change_rules():
    """Codes of the rules that compare with last year (their findings' values are percentages)."""
    return set(ReportRule.objects.filter(kind=ReportRule.Kind.CHANGE).values_list("code", flat=True))


def stored_explanations(report):
    """(rule code, field) → the clerk's explanation of that warning."""
    if report.pk is None:
        return {}
    rows = WarningExplanation.objects.filter(report=report).values_list("rule_code", "field", "text")
    return {(rule, field): text for rule, field, text in rows}


def report_history(report):
    if report.pk is None:
        return []
    return list(ReportEvent.objects.filter(report=report).select_related("user").order_by("at", "pk"))


def report_queries(report):
    """The report's field queries, unclosed first, each with its messages and their authors."""
    if report.pk is None:
        return []
    messages = QueryMessage.objects.select_related("author").order_by("written_at", "pk")
    queries = (
        FieldQuery.objects.filter(report=report)
        .select_related("raised_by")
        .prefetch_related(Prefetch("messages", messages))
        .order_by("raised_at", "pk")
    )
    for query in queries:
        query.label = field_label(query.field)
    return sorted(queries, key=lambda query: query.status == FieldQuery.Status.CLOSED)


def preview_for(report, values, campaign):
    """The compliance the figures would give against the campaign's per-school standard, or None."""
    if campaign is None or report.pk is None:
        return None
    return compliance_preview(report=report, values=values, standard=campaign.standard)


def queue_reports(reports):
    """`reports` each with its latest submission time and its number of unclosed queries, oldest
    submission first."""
    submitted = (
        ReportEvent.objects.filter(report=OuterRef("pk"), action=ReportEvent.Action.SUBMITTED)
        .order_by("-at")
        .values("at")[:1]
    )
    unclosed = (
        FieldQuery.objects.filter(report=OuterRef("pk"))
        .exclude(status=FieldQuery.Status.CLOSED)
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = reports.select_related("school__region").annotate(
        submitted_at=Subquery(submitted), open_queries=Coalesce(Subquery(unclosed), 0)
    )
    return rows.order_by(F("submitted_at").asc(nulls_last=True), "school__code", "year")


def status_counts(reports):
    """Status → number of `reports` (one query)."""
    return reports.aggregate(**{status: Count("pk", filter=Q(status=status)) for status in STATUSES})


def _town_of(county):
    """Region id → the town (a region directly under `county`) it lies in; the county itself
    stands for schools placed directly under it. Without a county, each region stands for itself."""
    regions = {region.pk: region for region in Region.objects.all()}

    def town(pk):
        region = regions[pk]
        while county is not None and region.pk != county.pk and region.parent_id not in (None, county.pk):
            region = regions[region.parent_id]
        return region

    return town


def completeness(schools, *, year, county):
    """Per town and in total, over the active `schools`: how many there are and how many of
    their reports for `year` are not started, draft, submitted, returned or approved; and the
    schools that have not started, by town and code."""
    town = _town_of(county)
    counts = (
        schools.annotate(this_year=FilteredRelation("reports", condition=Q(reports__year=year)))
        .values("region_id")
        .annotate(
            active=Count("pk"),
            **{status: Count("this_year", filter=Q(this_year__status=status)) for status in STATUSES},
        )
        .order_by()
    )
    rows = {}
    for count in counts:
        region = town(count.pop("region_id"))
        row = rows.setdefault(region.pk, {"town": region, "active": 0, **dict.fromkeys(STATUSES, 0)})
        for key, value in count.items():
            row[key] += value
    rows = sorted(rows.values(), key=lambda row: (row["town"].order, row["town"].code))
    for row in rows:
        row["not_started"] = row["active"] - sum(row[status] for status in STATUSES)
    total = {key: sum(row[key] for row in rows) for key in ("active", "not_started", *STATUSES)}
    missing = list(schools.exclude(reports__year=year).select_related("region").order_by("code"))
    for school in missing:
        school.town = town(school.region_id)
    missing.sort(key=lambda school: (school.town.order, school.town.code, school.code))
    return rows, total, missing


def previous_values(report):
    """Last year's approved figures of the same school, or None."""
    earlier = (
        AnnualReport.objects.approved()
        .filter(school_id=report.school_id, year=report.year - 1)
        .values(*fields.REPORT_KEYS)
        .first()
    )
    return earlier


def findings_for(report, values=None):
    """The active warning rules' findings on `values` (default: the report's own); errors are
    refused on save (`_check_errors`), so a stored report has none."""
    active = ReportRule.objects.filter(is_active=True, severity=ReportRule.Severity.WARNING)
    return check_report(values or report.values(), previous_values(report), report.school.school_type, active)


def error_rules():
    """The active error rules, as a list (the import applies them to every row)."""
    return list(ReportRule.objects.filter(is_active=True, severity=ReportRule.Severity.ERROR))


def last_figures_author(report):
    """The id of the user who last changed the report's figures (by form, upload or import), or
    None when no one did or an import without a user did."""
    events = ReportEvent.objects.filter(report=report).order_by("-at", "-pk")
    for user_id, changes in events.values_list("user_id", "changes"):
        if any(key in fields.REPORT_KEYS for key in changes):
            return user_id
    return None


def current_figures(reports):
    """School code → the report's values (report key → value), for `reports` (one query)."""
    rows = reports.values("school__code", *fields.REPORT_KEYS)
    return {row.pop("school__code"): row for row in rows}
