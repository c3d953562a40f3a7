"""The balance between schools of one county, per level: a read, shaped for JSON and pages."""

import numpy as np

from schools.counties import county_ids_by_region
from standards.calc.balance import difference_coefficient, level_inputs
from standards.calc.vector import balance_rows, grouped_cv, level_amounts, members
from standards.models import BalanceRule
from standards.selectors import (
    indicator_specs,
    needed_keys,
    report_table,
    reports_for,
    split_weights,
)

LEVELS = ("primary", "junior")


def _round(value, places):
    return None if value is None else round(float(value), places)


def _rounded(values, places):
    """An array rounded (NumPy, half to even on the binary value) as a list, NaN as None."""
    out = np.round(values, places).astype(object)
    out[np.isnan(values)] = None
    return out.tolist()


def _level_block(indicators, stats, limit, per_indicator, schools, students):
    """A level's figures and verdict; `stats` holds (mean, cv) per indicator (None: none)."""
    blocks = []
    for indicator, (mean, cv) in zip(indicators, stats, strict=True):
        blocks.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "mean": _round(mean, 4),
                "cv": _round(cv, 4),
                "limit": _round(limit if per_indicator else None, 3),
                "passed": None if not per_indicator or cv is None else cv <= float(limit),
            }
        )
    block = {"schools": schools, "students": students, "indicators": blocks}
    if per_indicator:
        verdicts = [b["passed"] for b in blocks]
        block["passed"] = None if None in verdicts or not verdicts else all(verdicts)
    else:
        known = [cv for _mean, cv in stats if cv is not None]
        composite = sum(known) / len(known) if known and len(known) == len(stats) else None
        block["composite_cv"] = _round(composite, 4)
        block["composite_limit"] = _round(limit, 3)
        block["passed"] = None if composite is None else composite <= float(limit)
    return block


def _school_lists(block, codes, names, students, amounts, indicators):
    """Each school's inputs, as columns aligned with `block["school"]` (code, name, students):
    per indicator n_i, R_i and the value (None where n_i is 0). Lists of numbers cost far less
    than an object per school (`standards.outputs.school_rows` gives the rows a page shows)."""
    block["school"] = {"code": codes, "name": names, "students": np.round(students, 2).tolist()}
    for entry, indicator, (resource, denominator) in zip(
        block["indicators"], indicators, amounts, strict=True
    ):
        used = denominator != 0
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(used, resource / np.where(used, denominator, 1) * float(indicator.scale), np.nan)
        entry["schools"] = {
            "students": np.round(denominator, 2).tolist(),
            "resource": np.round(resource, 2).tolist(),
            "value": _rounded(value, 4),
        }


def level_balance(schools, level, indicators, rule, weights, names=None):
    """The reference: one level of `schools` (SchoolInputs) by `standards.calc.balance`."""
    rows = level_inputs(schools, level, indicators, weights)
    limit = rule.limit_for(level)
    amounts, stats = [], []
    for indicator in indicators:
        n = np.array([row.amounts[indicator.code][1] for row in rows], dtype=np.float64)
        r = np.array([row.amounts[indicator.code][0] for row in rows], dtype=np.float64)
        coefficient = difference_coefficient(zip(n.tolist(), r.tolist(), strict=True), indicator.scale)
        amounts.append((r, n))
        stats.append((coefficient.mean, coefficient.cv))
    block = _level_block(
        indicators,
        stats,
        limit,
        rule.mode == BalanceRule.Mode.PER_INDICATOR,
        len(rows),
        int(sum(row.students for row in rows)),
    )
    names = names or {}
    codes = [row.code for row in rows]
    students = np.array([row.students for row in rows], dtype=np.float64)
    _school_lists(block, codes, [names.get(c, "") for c in codes], students, amounts, indicators)
    return block


def _counties_balance(county_ids, reports, rule, indicators, weights, county_of, with_schools):
    """{county id: {level: block}} for every id of `county_ids` (sorted) over `reports` (a
    queryset of approved reports): one all-numeric read, every county and level at once; a
    county without schools at a level gets a block without figures."""
    table = report_table(
        reports, needed_keys(indicators), balance=True, county_of=county_of, labels=with_schools
    )
    rows, values = balance_rows(table, rule)
    count = len(county_ids)
    group = np.searchsorted(county_ids, table.county)  # every report's county is one of them
    results = {county: {} for county in county_ids.tolist()}
    # The per-school columns list schools by code (the table is by id, for the sums' order).
    by_code = _ranks(table.code) if with_schools else None
    per_indicator = rule.mode == BalanceRule.Mode.PER_INDICATOR
    for level in LEVELS:
        limit = rule.limit_for(level)
        kept, students, amounts = level_amounts(table, rows, values, level, indicators, weights)
        g = group[kept]
        schools = np.bincount(g, minlength=count).tolist()
        totals = np.bincount(g, weights=students, minlength=count).tolist()
        stats = []
        for indicator, (resource, denominator) in zip(indicators, amounts, strict=True):
            mean, cv, _total = grouped_cv(g, count, denominator, resource, float(indicator.scale))
            stats.append(
                ([None if m != m else m for m in mean.tolist()], [None if c != c else c for c in cv.tolist()])
            )
        in_county = members(g, count, by_code[kept]) if with_schools else None
        for c, county in enumerate(county_ids.tolist()):
            county_stats = [(mean[c], cv[c]) for mean, cv in stats]
            block = _level_block(indicators, county_stats, limit, per_indicator, schools[c], int(totals[c]))
            if with_schools:
                at = in_county[c]
                rows_at = kept[at]
                codes, names = table.code[rows_at].tolist(), table.name[rows_at].tolist()
                picked = [(resource[at], denominator[at]) for resource, denominator in amounts]
                _school_lists(block, codes, names, students[at], picked, indicators)
            results[county][level] = block
    return results


def _ranks(codes):
    """Each row's place in the order of `codes` (an object array of strings)."""
    texts = codes.tolist()
    rank = np.empty(len(texts), dtype=np.int64)
    rank[sorted(range(len(texts)), key=texts.__getitem__)] = np.arange(len(texts))
    return rank


def _shaped(standard, year, county, rule, weights, levels):
    return {
        "standard": standard.code,
        "year": year,
        "region": county.code,
        "region_name": county.name,
        "mode": rule.mode,
        # The split of a spanning school's shared resources: primary counts 1, the others these.
        "weights": {
            "junior": float(weights.junior),
            "senior": float(weights.senior),
            "cm_senior": float(weights.cm_senior),
        },
        "levels": levels,
    }


def balance_counties(*, standard, year, counties, with_schools=False):
    """{county id: result} for every county of `counties` (Region instances), each result shaped
    as `balance_compute`'s; without `with_schools`, the per-school columns (each level's
    "school" and each indicator's "schools") are left out. One read of every county's reports:
    a fixed number of queries whatever the number of counties and schools."""
    counties = list(counties)
    if not counties:
        return {}
    rule = BalanceRule.objects.get(standard=standard)
    indicators = indicator_specs(standard)
    weights = split_weights(standard)
    county_of = county_ids_by_region()
    county_ids = np.array(sorted({county.pk for county in counties}), dtype=np.int64)
    wanted = set(county_ids.tolist())
    regions = [region for region, county in county_of.items() if county in wanted]
    reports = reports_for(year=year).filter(school__region_id__in=regions)
    levels = _counties_balance(county_ids, reports, rule, indicators, weights, county_of, with_schools)
    return {
        county.pk: _shaped(standard, year, county, rule, weights, levels[county.pk]) for county in counties
    }


def balance_compute(*, standard, year, region):
    """Difference coefficients of `standard` over the approved `year` reports of the schools in
    `region` (a county), per level, with each school's inputs and values. A fixed number of
    queries whatever the number of schools."""
    return balance_counties(standard=standard, year=year, counties=[region], with_schools=True)[region.pk]
