"""The balance between schools of one county, per level: a read, shaped for JSON and pages."""

import numpy as np

from schools.counties import county_ids_by_region
from standards.calc.balance import difference_coefficient, level_inputs
from standards.calc.vector import balance_rows, grouped_cv, level_amounts
from standards.models import BalanceRule
from standards.selectors import (
    indicator_specs,
    needed_keys,
    report_table,
    reports_for,
    school_labels,
    split_weights,
)

LEVELS = ("primary", "junior")


def _round(value, places):
    return None if value is None else round(float(value), places)


def _indicator_block(indicator, rows, limit):
    units = [(row.amounts[indicator.code][1], row.amounts[indicator.code][0]) for row in rows]
    coefficient = difference_coefficient(units, indicator.scale)
    scale = float(indicator.scale)
    schools = [
        {"code": row.code, "students": round(n, 2), "resource": round(r, 2), "value": round(r / n * scale, 4)}
        for row, (n, r) in zip(rows, units, strict=True)
        if n
    ]
    passed = None
    if limit is not None and coefficient.cv is not None:
        passed = coefficient.cv <= float(limit)
    return {
        "code": indicator.code,
        "name": indicator.name,
        "mean": _round(coefficient.mean, 4),
        "cv": _round(coefficient.cv, 4),
        "limit": _round(limit, 3),
        "passed": passed,
        "schools": schools,
    }, coefficient.cv


def _school_rows(rows, blocks, names):
    """Per school of the level: its name, its students and its value of each indicator, in
    the indicators' order (None where the indicator's denominator is 0)."""
    by_indicator = [{entry["code"]: entry["value"] for entry in block["schools"]} for block in blocks]
    return [
        {
            "code": row.code,
            "name": names.get(row.code, ""),
            "students": round(row.students, 2),
            "values": [values.get(row.code) for values in by_indicator],
        }
        for row in rows
    ]


def level_balance(schools, level, indicators, rule, weights, names=None):
    rows = level_inputs(schools, level, indicators, weights)
    limit = rule.limit_for(level)
    per_indicator = rule.mode == BalanceRule.Mode.PER_INDICATOR
    blocks, cvs = [], []
    for indicator in indicators:
        block, cv = _indicator_block(indicator, rows, limit if per_indicator else None)
        blocks.append(block)
        cvs.append(cv)
    result = {
        "schools": len(rows),
        "students": int(sum(row.students for row in rows)),
        "indicators": blocks,
        "rows": _school_rows(rows, blocks, names or {}),
    }
    if per_indicator:
        verdicts = [b["passed"] for b in blocks]
        result["passed"] = None if None in verdicts or not verdicts else all(verdicts)
    else:
        known = [cv for cv in cvs if cv is not None]
        composite = sum(known) / len(known) if known and len(known) == len(cvs) else None
        result["composite_cv"] = _round(composite, 4)
        result["composite_limit"] = _round(limit, 3)
        result["passed"] = None if composite is None else composite <= float(limit)
    return result


def _round_list(values, places):
    return [None if x != x else round(x, places) for x in values.tolist()]


def _counties_balance(standard, year, reports, with_schools):
    """{county id: result} for the counties of `reports` (a queryset of approved reports):
    one all-numeric read, every county and level computed at once."""
    rule = BalanceRule.objects.get(standard=standard)
    indicators = indicator_specs(standard)
    weights = split_weights(standard)
    table = report_table(reports, needed_keys(indicators), balance=True)
    rows, values = balance_rows(table, rule)
    counties, group = np.unique(table.county, return_inverse=True)
    labels = school_labels(reports) if with_schools else {}
    results = {int(c): {"levels": {}} for c in counties.tolist()}
    per_indicator = rule.mode == BalanceRule.Mode.PER_INDICATOR
    for level in LEVELS:
        limit = rule.limit_for(level)
        kept, students, amounts = level_amounts(table, rows, values, level, indicators, weights)
        g = group[kept]
        count = len(counties)
        schools = np.bincount(g, minlength=count).tolist()
        totals = np.bincount(g, weights=students, minlength=count).tolist()
        stats = []
        for indicator, (resource, denominator) in zip(indicators, amounts, strict=True):
            mean, cv, _total = grouped_cv(g, count, denominator, resource, float(indicator.scale))
            stats.append((mean.tolist(), cv.tolist()))
        members = _members(g, count) if with_schools else None
        for c, county in enumerate(counties.tolist()):
            blocks, cvs = [], []
            for indicator, (mean, cv) in zip(indicators, stats, strict=True):
                value = None if cv[c] != cv[c] else cv[c]
                passed = None
                if per_indicator and value is not None:
                    passed = value <= float(limit)
                blocks.append(
                    {
                        "code": indicator.code,
                        "name": indicator.name,
                        "mean": None if mean[c] != mean[c] else round(mean[c], 4),
                        "cv": _round(value, 4),
                        "limit": _round(limit if per_indicator else None, 3),
                        "passed": passed,
                    }
                )
                cvs.append(value)
            block = {"schools": schools[c], "students": int(totals[c]), "indicators": blocks}
            if with_schools:
                _school_lists(block, members[c], kept, table, students, amounts, indicators, labels)
            if per_indicator:
                verdicts = [b["passed"] for b in blocks]
                block["passed"] = None if None in verdicts or not verdicts else all(verdicts)
            else:
                known = [cv for cv in cvs if cv is not None]
                composite = sum(known) / len(known) if known and len(known) == len(cvs) else None
                block["composite_cv"] = _round(composite, 4)
                block["composite_limit"] = _round(limit, 3)
                block["passed"] = None if composite is None else composite <= float(limit)
            results[county]["levels"][level] = block
    return results


def _members(groups, count):
    """Per group, the positions holding it, in order."""
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(count + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(count)]


def _school_lists(block, positions, kept, table, students, amounts, indicators, labels):
    """Each school's inputs: per indicator its (n, R, value) where n ≠ 0, and per school its
    name, students and values in the indicators' order."""
    school_ids = table.school_id[kept[positions]].tolist()
    codes = [labels.get(pk, ("", ""))[0] for pk in school_ids]
    per_indicator = []
    for indicator, (resource, denominator) in zip(indicators, amounts, strict=True):
        n, r = denominator[positions], resource[positions]
        scale = float(indicator.scale)
        entries, values = [], []
        for code, n_i, r_i in zip(codes, n.tolist(), r.tolist(), strict=True):
            if n_i:
                value = round(r_i / n_i * scale, 4)
                entries.append(
                    {"code": code, "students": round(n_i, 2), "resource": round(r_i, 2), "value": value}
                )
                values.append(value)
            else:
                values.append(None)
        block_entry = next(b for b in block["indicators"] if b["code"] == indicator.code)
        block_entry["schools"] = entries
        per_indicator.append(values)
    block["rows"] = [
        {
            "code": code,
            "name": labels.get(pk, ("", ""))[1],
            "students": round(count, 2),
            "values": [values[i] for values in per_indicator],
        }
        for i, (pk, code, count) in enumerate(
            zip(school_ids, codes, students[positions].tolist(), strict=True)
        )
    ]


def _empty_level(rule, level, indicators, with_schools):
    per_indicator = rule.mode == BalanceRule.Mode.PER_INDICATOR
    limit = rule.limit_for(level)
    blocks = [
        {
            "code": i.code,
            "name": i.name,
            "mean": None,
            "cv": None,
            "limit": _round(limit if per_indicator else None, 3),
            "passed": None,
            **({"schools": []} if with_schools else {}),
        }
        for i in indicators
    ]
    block = {"schools": 0, "students": 0, "indicators": blocks, **({"rows": []} if with_schools else {})}
    if per_indicator:
        block["passed"] = None
    else:
        block |= {"composite_cv": None, "composite_limit": _round(limit, 3), "passed": None}
    return block


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
    as `balance_compute`'s; without `with_schools`, the per-school lists ("rows" and each
    indicator's "schools") are left out. One read of every county's reports: a fixed number of
    queries whatever the number of counties and schools."""
    counties = list(counties)
    if not counties:
        return {}
    rule = BalanceRule.objects.get(standard=standard)
    indicators = indicator_specs(standard)
    weights = split_weights(standard)
    wanted = {county.pk for county in counties}
    regions = [region for region, county in county_ids_by_region().items() if county in wanted]
    reports = reports_for(year=year).filter(school__region_id__in=regions)
    computed = _counties_balance(standard, year, reports, with_schools)
    results = {}
    for county in counties:
        levels = computed.get(county.pk, {"levels": {}})["levels"]
        levels = {lvl: levels.get(lvl) or _empty_level(rule, lvl, indicators, with_schools) for lvl in LEVELS}
        results[county.pk] = _shaped(standard, year, county, rule, weights, levels)
    return results


def balance_compute(*, standard, year, region):
    """Difference coefficients of `standard` over the approved `year` reports of the schools in
    `region` (a county), per level, with each school's inputs and values. A fixed number of
    queries whatever the number of schools."""
    return balance_counties(standard=standard, year=year, counties=[region], with_schools=True)[region.pk]
