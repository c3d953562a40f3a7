"""The balance between schools of one county, per level: a read, shaped for JSON and pages."""

from standards.calc.balance import balance_units, difference_coefficient, level_inputs
from standards.models import BalanceRule
from standards.selectors import indicator_specs, needed_keys, reports_for, school_inputs, split_weights

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


def balance_compute(*, standard, year, region):
    """Difference coefficients of `standard` over the approved `year` reports of the schools in
    `region` (a county), per level, with each school's inputs and values. A fixed number of
    queries whatever the number of schools."""
    rule = BalanceRule.objects.get(standard=standard)
    indicators = indicator_specs(standard)
    weights = split_weights(standard)
    reports = reports_for(year=year, region=region)
    schools = balance_units(school_inputs(reports, needed_keys(indicators)), rule)
    names = {school.code: school.name for school in schools}
    return {
        "standard": standard.code,
        "year": year,
        "region": region.code,
        "region_name": region.name,
        "mode": rule.mode,
        # The split of a spanning school's shared resources: primary counts 1, the others these.
        "weights": {
            "junior": float(weights.junior),
            "senior": float(weights.senior),
            "cm_senior": float(weights.cm_senior),
        },
        "levels": {
            level: level_balance(schools, level, indicators, rule, weights, names) for level in LEVELS
        },
    }


def balance_counties(*, standard, year, counties, with_schools=False):
    """{county id: result} for every county of `counties` (Region instances), each result shaped
    as `balance_compute`'s; without `with_schools`, the per-school lists ("rows" and each
    indicator's "schools") are left out. A fixed number of queries whatever the number of
    counties and schools."""
    results = {}
    for county in counties:
        result = balance_compute(standard=standard, year=year, region=county)
        if not with_schools:
            for block in result["levels"].values():
                block.pop("rows", None)
                for indicator in block["indicators"]:
                    indicator.pop("schools", None)
        results[county.pk] = result
    return results
