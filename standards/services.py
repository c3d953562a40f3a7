"""Writes of the standards app: stored compliance results, and keeping them current."""

import json
from functools import cached_property

import numpy as np
from django.db import transaction
from django.utils import timezone

from schools.models import AnnualReport
from standards.calc import vector
from standards.calc.codec import decode_item, encode_item, failed_text
from standards.calc.compliance import ItemResult, UnitResult, evaluate_levels, evaluate_school
from standards.calc.fingerprint import spec_fingerprint, values_fingerprints
from standards.calc.specs import SchoolInput
from standards.calc.thresholds import ThresholdPicker
from standards.models import ComplianceSummary, Standard
from standards.selectors import (
    indicator_specs,
    needed_keys,
    pass_rule_spec,
    report_table,
    results_without_approval,
    school_labels,
    school_standards,
    split_weights,
    stale_reports,
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
        self.by_level = standard.evaluation_unit == Standard.Unit.LEVEL
        self.by_id = {indicator.id: indicator for indicator in self.indicators}

    def evaluate(self, school):
        """One school by the reference engine: [UnitResult…]."""
        if self.by_level:
            return evaluate_levels(school, self.indicators, self.rule, self.weights, self.pick)
        return evaluate_school(school, self.indicators, self.rule, self.pick)


class Evaluation:
    """Every unit of a table of reports, computed by the batch engine (units that would
    overflow int64 by the reference): per unit its row, part, counts, verdict and stored items.
    Iterating gives [(school input, [UnitResult…])] ordered by school code, built on demand."""

    def __init__(self, specs, table, reports):
        self.specs, self.table, self.reports = specs, table, reports
        self.units = vector.evaluate(
            table,
            specs.indicators,
            specs.rule,
            by_level=specs.by_level,
            weights=specs.weights,
            pick=specs.pick,
        )
        self.reference = {}  # unit → (items, failed, evaluated, passed rule) by the reference
        for u in np.nonzero(self.units.fallback)[0].tolist():
            self._by_reference(u)
        self.fallbacks = len(self.reference)

    def _by_reference(self, u):
        school = vector.row_input(self.table, int(self.units.row[u]))
        part = vector.PARTS[self.units.part[u]]
        unit = next(x for x in self.specs.evaluate(school) if x.part == part)
        items = [
            encode_item(i.indicator.id, i.value, i.threshold, i.passed, i.percent, i.shortfall)
            for i in unit.items
        ]
        self.reference[u] = (items, unit.failed, unit.evaluated, unit.passed_rule)

    @cached_property
    def _lists(self):
        """Per unit its row, part, failed and evaluated counts and verdict, and per row its
        units, as lists (the reference's where it computed): built when results are stored
        or shown, not when nothing changed."""
        units = self.units
        rows = units.row.tolist()
        failed, evaluated, passed = (
            units.failed.tolist(),
            units.evaluated.tolist(),
            units.passed_rule.tolist(),
        )
        for u, (_items, *counts) in self.reference.items():
            failed[u], evaluated[u], passed[u] = counts
        of_row = [[] for _ in range(len(self.table))]
        for u, r in enumerate(rows):
            of_row[r].append(u)
        return rows, [vector.PARTS[p] for p in units.part.tolist()], failed, evaluated, passed, of_row

    @property
    def units_of_row(self):
        return self._lists[5]

    def __len__(self):
        return len(self.table)

    def items(self, units):
        """The stored items of `units` (unit indices), built only when asked for: what
        `records` stores, read back."""
        texts, _failing = self._texts(units)
        return [json.loads(text) for text in texts]

    def _texts(self, units):
        """The stored JSON texts and failed-indicator texts of `units` (the reference's where it
        computed)."""
        texts, failing = vector.unit_texts(self.units, [i.id for i in self.specs.indicators], units)
        for k, u in enumerate(units):
            if u in self.reference:
                items = self.reference[u][0]
                texts[k] = json.dumps(items, separators=(",", ":"))
                failing[k] = failed_text([item[0] for item in items if item[3] == 0])
        return texts, failing

    def records(self, rows, fingerprints):
        """The stored form of the units of `rows` (table rows): `store_units`' tuples."""
        report_id, revision = self.table.report_id, self.table.revision
        _rows, parts, failed, evaluated, passed, of_row = self._lists
        pairs = [(r, u) for r in rows for u in of_row[r]]
        texts, failing = self._texts([u for _r, u in pairs])
        return [
            (
                int(report_id[r]),
                parts[u],
                failed[u],
                evaluated[u],
                passed[u],
                int(revision[r]),
                fingerprints[r],
                texts[k],
                failing[k],
            )
            for k, (r, u) in enumerate(pairs)
        ]

    def __iter__(self):
        labels = school_labels(self.reports)
        every = self.items(list(range(len(self.units.row))))
        school_ids = self.table.school_id.tolist()
        order = sorted(range(len(self.table)), key=lambda r: labels.get(school_ids[r], ("", ""))[0])
        for r in order:
            code, name = labels.get(school_ids[r], ("", ""))
            school = SchoolInput(
                code=code,
                name=name,
                school_type=vector.TYPES[self.table.school_type[r]],
                values={},
                area_type=self.table.areas[self.table.area_type[r]],
                report_id=int(self.table.report_id[r]),
                revision=int(self.table.revision[r]),
            )
            yield school, [self._unit(u, every[u]) for u in self.units_of_row[r]]

    def _unit(self, u, stored):
        _rows, parts, failed, evaluated, passed, _of_row = self._lists
        return UnitResult(parts[u], [self._item(row) for row in stored], failed[u], evaluated[u], passed[u])

    def _item(self, row):
        stored = decode_item(row)
        return ItemResult(
            self.specs.by_id[stored.indicator_id],
            stored.value,
            stored.threshold,
            stored.passed,
            stored.percent,
            stored.shortfall,
        )


def _recompute(specs, reports, only_changed=False):
    """Evaluate `reports` in one read and store the results; with `only_changed`, rewrite only
    the reports whose stored fingerprints differ. Returns the Evaluation."""
    stored = (specs.standard, specs.fingerprint) if only_changed else None
    table = report_table(reports, specs.keys, stored=stored)
    evaluation = Evaluation(specs, table, reports)
    fingerprints = values_fingerprints(table)
    changed = np.nonzero(table.stored != fingerprints)[0] if only_changed else np.arange(len(table))
    changed = changed.tolist()
    fingerprints = fingerprints.tolist()
    now = timezone.now()
    report_ids = table.report_id.tolist()
    for i in range(0, len(changed), CHUNK):
        chunk = changed[i : i + CHUNK]
        # A report without units (no pupils at any judged level) keeps nothing stored either.
        empty = [report_ids[r] for r in chunk if not evaluation.units_of_row[r]]
        delete_results(standard_id=specs.standard.pk, report_ids=empty)
        store_units(
            standard_id=specs.standard.pk,
            fingerprint=specs.fingerprint,
            computed_at=now,
            units=evaluation.records(chunk, fingerprints),
        )
    return evaluation


def _forget_unapproved(standard, reports):
    """Results of reports that are no longer approved must not be shown (asked first: an
    evaluation where nothing changed sends no DELETE)."""
    stale = ComplianceSummary.objects.filter(
        standard=standard, report__in=reports.exclude(status=AnnualReport.Status.APPROVED)
    )
    if stale.exists():
        stale.delete()


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
    return the Evaluation (iterating it gives [(school input, [UnitResult…])] by school code)."""
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
