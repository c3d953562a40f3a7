"""Writes of the standards app: stored compliance results, and keeping them current."""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from schools.models import AnnualReport
from standards.calc.compliance import VALUE_PLACES, evaluate_levels, evaluate_school
from standards.calc.thresholds import ThresholdPicker
from standards.models import ComplianceResult, ComplianceSummary, Standard
from standards.selectors import (
    indicator_specs,
    pass_rule_spec,
    school_inputs,
    school_standards,
    split_weights,
    stale_reports,
)
from standards.writers import delete_results, insert_rows

CHUNK = 2000
CENT = Decimal("0.01")


def _q(value, places):
    return None if value is None else value.quantize(places)


def compute_units(standard, schools, specs=None):
    """[(school input, [UnitResult…])] for plain inputs, without writing anything."""
    indicators, rule, weights = specs or standard_specs(standard)
    pick = ThresholdPicker()
    if standard.evaluation_unit == Standard.Unit.LEVEL:
        return [(school, evaluate_levels(school, indicators, rule, weights, pick)) for school in schools]
    return [(school, evaluate_school(school, indicators, rule, pick)) for school in schools]


def standard_specs(standard):
    return indicator_specs(standard), pass_rule_spec(standard), split_weights(standard)


SUMMARY_FIELDS = (
    "report", "standard", "part", "failed_count", "evaluated_count", "passed_rule", "report_revision",
    "standard_revision", "computed_at",
)
RESULT_FIELDS = ("summary", "indicator", "value", "threshold", "passed", "percent", "shortfall")


def _write(standard, computed, report_ids):
    """Store the computed units of one chunk of reports (their old results already deleted)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert_rows(
        ComplianceSummary,
        SUMMARY_FIELDS,
        [
            (school.report_id, standard.pk, unit.part, unit.failed, unit.evaluated, unit.passed_rule,
             school.revision, standard.revision, now)
            for school, units in computed
            for unit in units
        ],
    )
    ids = {
        (report_id, part): pk
        for report_id, part, pk in ComplianceSummary.objects.filter(
            standard=standard, report_id__in=report_ids
        ).values_list("report_id", "part", "pk")
    }
    insert_rows(
        ComplianceResult,
        RESULT_FIELDS,
        [
            (ids[school.report_id, unit.part], item.indicator.id, _q(item.value, VALUE_PLACES), item.threshold,
             item.passed, _q(item.percent, CENT), item.shortfall)
            for school, units in computed
            for unit in units
            for item in unit.items
        ],
    )


def _recompute(standard, reports):
    """Recompute and store, a chunk of reports at a time (walked by primary key, so that no
    chunk needs a list of ids in its query); returns [(school input, [UnitResult…])] by code."""
    specs = standard_specs(standard)
    results, last = [], 0
    while True:
        chunk = school_inputs(reports.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].report_id
        ids = [school.report_id for school in chunk]
        delete_results(standard_id=standard.pk, report_ids=ids)
        computed = compute_units(standard, chunk, specs)
        _write(standard, computed, ids)
        results.extend(computed)
    results.sort(key=lambda pair: pair[0].code)
    return results


def compliance_recompute(*, reports=None, year=None, standard=None):
    """Recompute stored compliance for `reports` (AnnualReport ids or a queryset) or for every
    approved report of `year`, against `standard` or every per-school standard.

    Only approved reports are evaluated; a report that is no longer approved loses its stored
    results. Returns the number of summaries written.
    """
    scope = AnnualReport.objects.all()
    if reports is not None:
        scope = scope.filter(pk__in=reports if not isinstance(reports, list) else list(reports))
    if year is not None:
        scope = scope.filter(year=year)
    standards = [standard] if standard is not None else list(school_standards())
    written = 0
    with transaction.atomic():
        ComplianceSummary.objects.filter(
            report__in=scope.exclude(status=AnnualReport.Status.APPROVED), standard__in=standards
        ).delete()
        for each in standards:
            computed = _recompute(each, scope.filter(status=AnnualReport.Status.APPROVED))
            written += sum(len(units) for _, units in computed)
    return written


def compliance_evaluate(*, standard, year):
    """Recompute and store every approved report of `year` against `standard`, and return
    the results as [(school input, [UnitResult…])] ordered by school code."""
    with transaction.atomic():
        return _recompute(standard, AnnualReport.objects.approved().for_year(year))


def compliance_refresh(*, standard, year=None):
    """Recompute only the reports (of `year`, or of every year) whose stored results are
    missing or stale."""
    return compliance_recompute(reports=stale_reports(standard, year), standard=standard)


def standard_touch(*, standard):
    """Mark every stored result of `standard` as stale: call after changing the standard, its
    indicators, thresholds or rules."""
    Standard.objects.filter(pk=standard.pk).update(revision=F("revision") + 1)
    standard.refresh_from_db(fields=["revision"])
