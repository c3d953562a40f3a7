"""Writes of the standards app: stored compliance results, and keeping them current."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F

from schools.models import AnnualReport
from standards.calc.compliance import VALUE_PLACES, evaluate_levels, evaluate_school
from standards.models import ComplianceResult, ComplianceSummary, Standard
from standards.selectors import (
    indicator_specs,
    pass_rule_spec,
    school_inputs,
    school_standards,
    split_weights,
    stale_reports,
)

CHUNK = 2000
CENT = Decimal("0.01")


def _q(value, places):
    return None if value is None else value.quantize(places)


def compute_units(standard, schools):
    """[(school input, [UnitResult…])] for plain inputs, without writing anything."""
    indicators = indicator_specs(standard)
    rule = pass_rule_spec(standard)
    if standard.evaluation_unit == Standard.Unit.LEVEL:
        weights = split_weights(standard)
        return [(school, evaluate_levels(school, indicators, rule, weights)) for school in schools]
    return [(school, evaluate_school(school, indicators, rule)) for school in schools]


def _write(standard, computed, revisions):
    """Store the computed units; returns nothing (bulk_create sets the summaries' pks)."""
    summaries, items = [], []
    for school, units in computed:
        for unit in units:
            summaries.append(
                ComplianceSummary(
                    report_id=school.report_id,
                    standard=standard,
                    part=unit.part,
                    failed_count=unit.failed,
                    evaluated_count=unit.evaluated,
                    passed_rule=unit.passed_rule,
                    report_revision=revisions[school.report_id],
                    standard_revision=standard.revision,
                )
            )
            items.append(unit.items)
    ComplianceSummary.objects.bulk_create(summaries, batch_size=CHUNK)
    ComplianceResult.objects.bulk_create(
        (
            ComplianceResult(
                summary_id=summary.pk,
                indicator_id=item.indicator.id,
                value=_q(item.value, VALUE_PLACES),
                threshold=item.threshold,
                passed=item.passed,
                percent=_q(item.percent, CENT),
                shortfall=item.shortfall,
            )
            for summary, unit_items in zip(summaries, items, strict=True)
            for item in unit_items
        ),
        batch_size=CHUNK,
    )


def _recompute(standard, reports):
    """Recompute and store; returns [(school input, [UnitResult…])]."""
    ids = list(reports.values_list("pk", flat=True))
    results = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        batch = AnnualReport.objects.filter(pk__in=chunk)
        ComplianceResult.objects.filter(summary__standard=standard, summary__report_id__in=chunk).delete()
        ComplianceSummary.objects.filter(standard=standard, report_id__in=chunk).delete()
        revisions = dict(batch.values_list("pk", "revision"))
        computed = compute_units(standard, school_inputs(batch.order_by("school__code")))
        _write(standard, computed, revisions)
        results.extend(computed)
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
        reports = AnnualReport.objects.approved().for_year(year).order_by("school__code")
        return _recompute(standard, reports)


def compliance_refresh(*, standard, year=None):
    """Recompute only the reports (of `year`, or of every year) whose stored results are
    missing or stale."""
    return compliance_recompute(reports=stale_reports(standard, year), standard=standard)


def standard_touch(*, standard):
    """Mark every stored result of `standard` as stale: call after changing the standard, its
    indicators, thresholds or rules."""
    Standard.objects.filter(pk=standard.pk).update(revision=F("revision") + 1)
    standard.refresh_from_db(fields=["revision"])
