"""Writes of the standards app: stored compliance results, and keeping them current."""

from django.db import transaction
from django.utils import timezone

from schools.models import AnnualReport
from standards.calc.codec import encode_item
from standards.calc.compliance import evaluate_levels, evaluate_school
from standards.calc.fingerprint import spec_fingerprint, values_fingerprint
from standards.calc.thresholds import ThresholdPicker
from standards.models import ComplianceSummary, Standard
from standards.selectors import (
    indicator_specs,
    needed_keys,
    pass_rule_spec,
    results_without_approval,
    school_inputs,
    school_standards,
    split_weights,
    stale_reports,
    stored_fingerprints,
)
from standards.writers import delete_results, store_units

CHUNK = 2000


class Specs:
    """A standard read once: its indicators, pass rule, split weights and their fingerprint."""

    def __init__(self, standard):
        self.standard = standard
        self.indicators = indicator_specs(standard)
        self.rule = pass_rule_spec(standard)
        self.weights = split_weights(standard)
        self.fingerprint = spec_fingerprint(
            standard.evaluation_unit, self.indicators, self.rule, self.weights
        )
        self.keys = needed_keys(self.indicators)
        self.pick = ThresholdPicker()

    def evaluate(self, school):
        if self.standard.evaluation_unit == Standard.Unit.LEVEL:
            return evaluate_levels(school, self.indicators, self.rule, self.weights, self.pick)
        return evaluate_school(school, self.indicators, self.rule, self.pick)


def _write(specs, computed):
    """Store computed units, replacing whatever was stored for those reports."""
    # A report without a unit (a level-evaluated school without compulsory pupils) keeps nothing.
    empty = [school.report_id for school, units in computed if not units]
    delete_results(standard_id=specs.standard.pk, report_ids=empty)
    store_units(
        standard_id=specs.standard.pk,
        fingerprint=specs.fingerprint,
        computed_at=timezone.now(),
        units=[
            (
                school.report_id,
                unit.part,
                unit.failed,
                unit.evaluated,
                unit.passed_rule,
                school.revision,
                values_fingerprint(school),
                [
                    encode_item(
                        item.indicator.id,
                        item.value,
                        item.threshold,
                        item.passed,
                        item.percent,
                        item.shortfall,
                    )
                    for item in unit.items
                ],
            )
            for school, units in computed
            for unit in units
        ],
    )


def _walk(reports, keys):
    """The reports as plain inputs, a chunk at a time, walked by primary key (no chunk needs a
    list of ids in its query)."""
    last = 0
    while True:
        chunk = school_inputs(reports.filter(pk__gt=last).order_by("pk")[:CHUNK], keys)
        if not chunk:
            return
        last = chunk[-1].report_id
        yield chunk


def _recompute(specs, reports, only_changed=False):
    """Recompute `reports` and store the results; with `only_changed`, rewrite only those
    whose stored fingerprints differ. Returns [(school input, [UnitResult…])] by school code."""
    stored = stored_fingerprints(specs.standard, reports) if only_changed else {}
    results = []
    for chunk in _walk(reports, specs.keys):
        computed = [(school, specs.evaluate(school)) for school in chunk]
        changed = [
            pair
            for pair in computed
            if stored.get(pair[0].report_id)
            != [pair[0].revision, specs.fingerprint, values_fingerprint(pair[0])]
        ]
        _write(specs, changed)
        results.extend(computed)
    results.sort(key=lambda pair: pair[0].code)
    return results


def _forget_unapproved(standard, reports):
    """Results of reports that are no longer approved must not be shown."""
    ComplianceSummary.objects.filter(
        standard=standard, report__in=reports.exclude(status=AnnualReport.Status.APPROVED)
    ).delete()


def _scopes(reports, year):
    """Querysets covering `reports`: a list of ids goes in slices, so that no query carries
    more ids than a database accepts."""
    if isinstance(reports, (list, tuple, set)):
        ids = sorted(reports)
        scopes = [AnnualReport.objects.filter(pk__in=ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]
    else:
        scopes = [
            AnnualReport.objects.all() if reports is None else AnnualReport.objects.filter(pk__in=reports)
        ]
    return [scope if year is None else scope.filter(year=year) for scope in scopes]


def compliance_recompute(*, reports=None, year=None, standard=None):
    """Recompute stored compliance for `reports` (AnnualReport ids or a queryset) or for every
    report of `year` (or every report), against `standard` or every per-school standard.

    Only approved reports are evaluated; a report that is no longer approved loses its stored
    results. Returns the number of reports evaluated per standard, summed.
    """
    standards = [standard] if standard is not None else list(school_standards())
    evaluated = 0
    with transaction.atomic():
        for each in standards:
            specs = Specs(each)
            for scope in _scopes(reports, year):
                _forget_unapproved(each, scope)
                evaluated += len(_recompute(specs, scope.filter(status=AnnualReport.Status.APPROVED)))
    return evaluated


def compliance_evaluate(*, standard, year):
    """Evaluate every approved report of `year` against `standard`, store what changed, and
    return the results as [(school input, [UnitResult…])] ordered by school code."""
    reports = AnnualReport.objects.for_year(year)
    with transaction.atomic():
        _forget_unapproved(standard, reports)
        return _recompute(Specs(standard), reports.approved(), only_changed=True)


def compliance_refresh(*, standard, year=None):
    """Recompute only the reports (of `year`, or of every year) whose stored results are
    missing or stale, and drop the results of reports no longer approved; cheap when nothing
    changed. Returns the number of reports recomputed."""
    specs = Specs(standard)
    stale = stale_reports(standard, specs.fingerprint, year)
    dropped = results_without_approval(standard, year)
    if not stale.exists() and not dropped.exists():
        return 0
    with transaction.atomic():
        dropped.delete()
        return len(_recompute(specs, stale))
