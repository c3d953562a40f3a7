"""Reads of the standards app: standards as plain specs, reports as plain inputs."""

from dataclasses import replace
from decimal import Decimal

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, Case, Exists, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Round

from schools.counties import county_ids_by_region
from schools.fields import COUNT_KEYS, LEVELS, REPORT_KEYS
from schools.models import AnnualReport, School
from standards.calc.codec import decode_items, failed_mark
from standards.calc.fingerprint import spec_fingerprint
from standards.calc.specs import IndicatorSpec, PassRuleSpec, SchoolInput, SplitWeights, ThresholdSpec
from standards.calc.vector import TYPES, Table
from standards.models import ComplianceSummary, Indicator, PassRule, Standard, Threshold

SCHOOL_FIELDS = (
    "id",
    "revision",
    "school__code",
    "school__name",
    "school__school_type",
    "school__area_type",
    "school__ownership",
    "school__teaching_point",
    "school__parent__code",
)


def indicator_specs(standard):
    """The standard's indicators with their thresholds, in two queries."""
    return specs_of(
        Indicator.objects.filter(standard=standard).order_by("order", "code"),
        Threshold.objects.filter(indicator__standard=standard).order_by("pk"),
    )


def specs_of(indicators, thresholds):
    """Specs of `indicators` (instances in evaluation order, saved or not) with their
    `thresholds` (instances, attached by `indicator_id`)."""
    by_indicator = {}
    for t in thresholds:
        by_indicator.setdefault(t.indicator_id, []).append(
            ThresholdSpec(t.value, t.applies_to, t.min_classes, t.max_classes, t.area_type)
        )
    return [
        IndicatorSpec(
            code=ind.code,
            name=ind.name,
            unit=ind.unit,
            numerator_unit=ind.numerator_unit,
            numerator=tuple(ind.numerator),
            denominator=tuple(ind.denominator),
            scale=ind.scale,
            direction=ind.direction,
            levels=tuple(ind.levels or ()),
            integral=all(key.replace("{level}", "primary") in COUNT_KEYS for key in ind.numerator),
            thresholds=tuple(by_indicator.get(ind.pk, ())),
            id=ind.pk,
        )
        for ind in indicators
    ]


def pass_rule_spec(standard):
    return rule_spec(PassRule.objects.filter(standard=standard).first())


def rule_spec(rule):
    """The spec of a pass rule instance; no rule means no failed item is allowed."""
    if rule is None:
        return PassRuleSpec()
    return PassRuleSpec(rule.max_failed, rule.min_percent)


def split_weights(standard):
    return SplitWeights(standard.weight_junior, standard.weight_senior, standard.weight_cm_senior)


def needed_keys(indicators):
    """The report keys that decide `indicators`' results (and the units' levels and bands)."""
    keys = {f"{kind}_{level}" for kind in ("students", "classes") for level in LEVELS}
    for indicator in indicators:
        for key in (*indicator.numerator, *indicator.denominator):
            keys.update(key.format(level=level) for level in LEVELS)
    return tuple(key for key in REPORT_KEYS if key in keys)


def school_inputs(reports, keys=REPORT_KEYS):
    """Plain inputs for a queryset of reports (the report `keys` only): one query, no model
    instances."""
    rows = reports.values_list(*SCHOOL_FIELDS, *keys)
    width = len(SCHOOL_FIELDS)
    inputs = []
    for row in rows.iterator(chunk_size=5000):
        inputs.append(
            SchoolInput(
                report_id=row[0],
                revision=row[1],
                code=row[2],
                name=row[3],
                school_type=row[4],
                area_type=row[5],
                ownership=row[6],
                teaching_point=row[7],
                parent_code=row[8],
                values=dict(zip(keys, row[width:], strict=True)),
            )
        )
    return inputs


def reports_for(*, year, region=None):
    """The approved reports of `year`, optionally of the schools within a region."""
    reports = AnnualReport.objects.approved().for_year(year)
    if region is not None:
        reports = reports.filter(school__in=School.objects.in_region(region))
    return reports


def stale_reports(standard, fingerprint, year=None):
    """Approved reports (of `year`, or of every year) whose stored compliance is missing, older
    than the report, or computed from another version of the standard (`fingerprint`)."""
    fresh = ComplianceSummary.objects.filter(
        report=OuterRef("pk"),
        standard=standard,
        report_revision=OuterRef("revision"),
        standard_fingerprint=fingerprint,
    )
    reports = AnnualReport.objects.approved().filter(~Exists(fresh))
    return reports if year is None else reports.filter(year=year)


def results_without_approval(standard, year=None):
    """Stored results of `standard` whose report is no longer approved (its status was changed
    without the services, which would have dropped them)."""
    rows = ComplianceSummary.objects.filter(standard=standard).exclude(
        report__status=AnnualReport.Status.APPROVED
    )
    return rows if year is None else rows.filter(report__year=year)


def standard_fingerprint(standard):
    return spec_fingerprint(
        standard.evaluation_unit, indicator_specs(standard), pass_rule_spec(standard), split_weights(standard)
    )


def stale_counts(standard, *, years, schools):
    """How many reports of `years` and `schools` (a queryset) have stored results of `standard`
    that are not what they would be now: approved reports whose results are missing or stale,
    and reports no longer approved that still have results. Five queries whatever the data size.
    Returns (approved stale, unapproved with results)."""
    approved = stale_reports(standard, standard_fingerprint(standard)).filter(
        year__in=years, school__in=schools
    )
    dropped = (
        results_without_approval(standard)
        .filter(report__year__in=years, report__school__in=schools)
        .values("report")
        .distinct()
    )
    return approved.count(), dropped.count()


def school_standards():
    return Standard.objects.filter(kind=Standard.Kind.SCHOOL)


# Every report figure has at most 2 decimal places: read in hundredths, as integers.
AREAS = ("", *School.AreaType.values)
NULLABLE_KEYS = frozenset(f.name for f in AnnualReport._meta.concrete_fields if f.null)


def _coded(field, choices):
    """The index of `field`'s value in `choices`, computed by the database."""
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(choices)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def _hundredths(key):
    """The figure in hundredths, as the database's integer. PostgreSQL's numeric × 100 is
    integral already; SQLite keeps decimals as binary floats, so it is rounded first."""
    if key in COUNT_KEYS:
        return F(key) * 100
    figure = Coalesce(F(key), Value(Decimal(0))) if key in NULLABLE_KEYS else F(key)
    if connection.vendor == "postgresql":
        return Cast(figure * 100, BigIntegerField())
    return Cast(Round(figure * 100), BigIntegerField())


def report_table(reports, keys, *, balance=False, stored=None, county_of=None, labels=False):
    """`reports` (a queryset) as a `vector.Table`, in one all-numeric query: types and area
    types as indices, figures in hundredths cast by the database (Django would build a Decimal
    per figure). Unordered, except with `balance` (by school id, so that sums run in one order),
    which also reads the school, its parent, whether it is private or a teaching point, and its
    county (by `county_of`, {region id: county id}, read when not given). With
    `stored` (standard, fingerprint): the values fingerprint stored for the report's current
    revision by this version of the standard (0 when there is none), so that one query tells
    what changed. With `labels`, the schools' codes and names come in the same rows (a second
    query for them cost a sixth of the whole read)."""
    columns = {
        "report_id": F("id"),
        "revision": F("revision"),
        "school_type": _coded("school__school_type", TYPES),
        "area_type": _coded("school__area_type", AREAS),
        "school_id": F("school_id"),
    }
    if stored is not None:
        standard, fingerprint = stored
        fresh = (
            ComplianceSummary.objects.filter(
                report=OuterRef("pk"),
                standard=standard,
                standard_fingerprint=fingerprint,
                report_revision=OuterRef("revision"),
            )
            .order_by()
            .values("values_fingerprint")[:1]
        )
        columns["stored"] = Coalesce(Subquery(fresh), Value(0), output_field=BigIntegerField())
    if balance:
        columns |= {
            "parent_id": Coalesce(F("school__parent_id"), Value(-1)),
            "private": _coded("school__ownership", ("public", "private")),
            "teaching_point": Cast(F("school__teaching_point"), IntegerField()),
            "region_id": F("school__region_id"),
        }
    names = [f"v_{i}" for i in range(len(keys))]
    query = (
        reports.order_by()
        .annotate(**{f"c_{name}": expr for name, expr in columns.items()})
        .annotate(**{name: _hundredths(key) for name, key in zip(names, keys, strict=True)})
        .values_list(
            *(f"c_{name}" for name in columns), *names, *(("school__code", "school__name") if labels else ())
        )
    )
    sql, params = query.query.sql_with_params()
    chunks, codes, school_names = [], [], []
    numbers = len(columns) + len(keys)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20_000):
            if labels:
                codes.extend(row[numbers] for row in rows)
                school_names.extend(row[numbers + 1] for row in rows)
                rows = [row[:numbers] for row in rows]
            chunks.append(np.array(rows, dtype=np.int64))
    width = len(columns)
    data = np.concatenate(chunks) if chunks else np.zeros((0, width + len(keys)), dtype=np.int64)
    codes, school_names = np.array(codes, dtype=object), np.array(school_names, dtype=object)
    if balance:
        # By school in arrays, not in SQL (a database's sort of 250,000 whole rows cost more
        # than the arithmetic): sums then run in one order whichever reports were read.
        order = np.argsort(data[:, list(columns).index("school_id")], kind="stable")
        data = data[order]
        if labels:
            codes, school_names = codes[order], school_names[order]
    named = {name: data[:, i] for i, name in enumerate(columns)}
    if (named["school_type"] < 0).any() or (named["area_type"] < 0).any():
        raise ValueError("a school with a type or area type outside the choices")
    table = Table(
        keys=tuple(keys),
        values=np.ascontiguousarray(data[:, width:]),
        report_id=named["report_id"],
        revision=named["revision"],
        school_type=named["school_type"].astype(np.int8),
        area_type=named["area_type"].astype(np.int8),
        areas=AREAS,
        school_id=named["school_id"],
    )
    if stored is not None:
        table.stored = named["stored"]
    if labels:
        table.code, table.name = codes, school_names
    if balance:
        table.parent_id = named["parent_id"]
        table.private = named["private"] == 1
        table.teaching_point = named["teaching_point"] == 1
        county_of = county_ids_by_region() if county_of is None else county_of
        table.county = np.array([county_of.get(r, -1) for r in named["region_id"].tolist()], dtype=np.int64)
    return table


def school_labels(reports):
    """{school id: (code, name)} of the schools of `reports` (a queryset): one query."""
    rows = reports.order_by().values_list("school_id", "school__code", "school__name")
    return {pk: (code, name) for pk, code, name in rows}


def summary_items(summaries):
    """Decode the stored items of `summaries` (ComplianceSummary instances) into `stored_items`
    on each: StoredItem with its Indicator attached, in the indicators' order, and the failed ones
    into `failed_items`. One query (the indicators) whatever their number; returns `summaries`
    as a list."""
    summaries = list(summaries)
    ids = {row[0] for summary in summaries for row in summary.items}
    indicators = Indicator.objects.in_bulk(ids) if ids else {}
    for summary in summaries:
        attach_items(summary, indicators)
    return summaries


def attach_items(summary, indicators):
    """`summary_items` for one summary, given {id: Indicator}; returns its failed items."""
    # An indicator deleted since the items were computed is left out (its results are stale).
    shown = [
        replace(item, indicator=indicators[item.indicator_id])
        for item in decode_items(summary.items)
        if item.indicator_id in indicators
    ]
    shown.sort(key=lambda item: (item.indicator.order, item.indicator.code))
    summary.stored_items = shown
    summary.failed_items = [item for item in shown if item.passed is False]
    return summary.failed_items


def failing(summaries, indicator_id):
    """`summaries` (a ComplianceSummary queryset) narrowed to those failing the indicator."""
    return summaries.filter(failed_indicators__contains=failed_mark(indicator_id))
