"""Compliance and balance for many schools at once, over arrays (docs/performance.md).

The same rules as `compliance.py` and `balance.py` (the reference, kept for single schools and
for checking this module), computed column by column with NumPy.

Compliance is exact integer arithmetic. Report values arrive in hundredths (every report figure
has at most 2 decimal places), thresholds in thousandths and scales in hundredths, so a
verdict is a comparison of two integer products, the value and percent are integer divisions
rounded half to even and a shortfall is a division rounded up. Nothing passes through floating
point: 1.3 m² × 3 students is 3.9 exactly and a school at its threshold passes. A unit whose
products could exceed int64 (money in the billions split by a large share, say) is handed to the
reference engine instead (`fallback`).

Balance is in floats, as the reference's: a coefficient of variation is not a verdict at a tie.
The split of a spanning school uses integer weights, so each share is one correctly rounded
division; the variance is two-pass, grouped by (county, level).
"""

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from schools.levels import COMPULSORY_LEVELS, TYPE_LEVELS
from standards.calc.codec import failed_text
from standards.calc.specs import SchoolInput
from standards.calc.thresholds import expand_keys

TYPES = tuple(TYPE_LEVELS)
PARTS = ("", *COMPULSORY_LEVELS)  # a whole school, or one level part
_APPLIES = (*TYPES, *COMPULSORY_LEVELS)  # what a threshold names: a school type, or a level
SAFE = 2**62  # every product stays below this, with room for a sum of two
NONE = -1  # "no value" in the integer result columns (every real value is ≥ 0)


@dataclass
class Table:
    """Reports as arrays, one row per report; `values` in hundredths, columns named by `keys`."""

    keys: tuple
    values: np.ndarray  # int64 (rows, keys)
    report_id: np.ndarray
    revision: np.ndarray
    school_type: np.ndarray  # index into TYPES
    area_type: np.ndarray  # index into `areas`
    areas: tuple
    school_id: np.ndarray = None
    parent_id: np.ndarray = None  # -1: none
    private: np.ndarray = None
    teaching_point: np.ndarray = None
    county: np.ndarray = None  # the county region's id, -1: none
    stored: np.ndarray = None  # the values fingerprint stored for the row, 0: none
    code: np.ndarray = None  # object: the school's code, when read
    name: np.ndarray = None  # object: the school's name, when read

    def __len__(self):
        return len(self.report_id)

    def column(self, key):
        return self.values[:, self.keys.index(key)]


def to_int(value, places):
    """A Decimal with at most `places` decimal places as an integer count of 10^-places."""
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {places} decimal places")
    return int(scaled)


def scaled_quotient(numerator, denominator, digits):
    """numerator × 10^digits ÷ denominator rounded half to even, and its floor (numerator ≥ 0,
    denominator > 0), by long division: no intermediate exceeds 10 × denominator."""
    quotient, remainder = np.divmod(numerator, denominator)
    for _ in range(digits):
        digit, remainder = np.divmod(remainder * 10, denominator)
        quotient = quotient * 10 + digit
    twice = remainder * 2
    up = (twice > denominator) | ((twice == denominator) & (quotient % 2 == 1))
    return quotient + up, quotient


def ceiling(numerator, denominator):
    return -((-numerator) // denominator)


# ------------------------------------------------------------------------------- compliance


@dataclass
class IndicatorPlan:
    """One indicator with its scale in hundredths, at `index` among the standard's."""

    index: int
    scale: int
    spec: object


@dataclass
class Items:
    """One indicator's results over units: NONE where absent."""

    applies: np.ndarray  # bool: the unit has this item
    value: np.ndarray  # ten-thousandths
    threshold: np.ndarray  # thousandths
    passed: np.ndarray  # int8: 1 passed, 0 failed, NONE no verdict
    percent: np.ndarray  # hundredths
    percent_floor: np.ndarray  # ⌊percent in hundredths⌋: the exact percent ≥ m ⇔ floor ≥ m
    shortfall: np.ndarray  # hundredths


@dataclass
class Units:
    """Evaluated units: `row` into the table, `part` into PARTS, per indicator its Items."""

    row: np.ndarray
    part: np.ndarray
    items: list
    failed: np.ndarray = None
    evaluated: np.ndarray = None
    passed_rule: np.ndarray = None
    fallback: np.ndarray = None  # bool: to be computed by the reference engine instead


def plan_indicators(indicators):
    return [IndicatorPlan(i, to_int(spec.scale, 2), spec) for i, spec in enumerate(indicators)]


def _sum_columns(table, rows, keys):
    """Σ of the named columns over `rows` (int64), missing keys counting 0."""
    total = np.zeros(len(rows), dtype=np.int64)
    for key in keys:
        if key in table.keys:
            total += table.values[rows, table.keys.index(key)]
    return total


def _class_bands(spec, classes):
    """Per unit its class band, and per band a class count standing for it. Between two
    consecutive bounds of the spec's thresholds (a band starts at a minimum and after a
    maximum) every count matches the same thresholds, so one count picks for all of them."""
    edges = sorted(
        {t.min_classes for t in spec.thresholds if t.min_classes is not None}
        | {t.max_classes + 1 for t in spec.thresholds if t.max_classes is not None}
    )
    band = np.searchsorted(np.asarray(edges, dtype=np.int64), classes, side="right")
    return band, [edges[0] - 1 if edges else 0, *edges]


def _thresholds(plan, pick, applies_to, classes, area, areas):
    """Thousandths (or NONE) per unit: one pick per distinct (applies to, class band, area)."""
    if not len(classes):
        return np.zeros(0, dtype=np.int64)
    band, standing = _class_bands(plan.spec, classes)
    key = (applies_to.astype(np.int64) << 40) | (band.astype(np.int64) << 8) | area.astype(np.int64)
    combos, inverse = np.unique(key, return_inverse=True)
    chosen = np.empty(len(combos), dtype=np.int64)
    for j, combo in enumerate(combos.tolist()):
        target, count, where = combo >> 40, standing[(combo >> 8) & (2**32 - 1)], combo & 0xFF
        found = pick.value(plan.spec, _APPLIES[target], count, areas[where])
        chosen[j] = NONE if found is None else to_int(found, 3)
    return chosen[inverse.reshape(-1)]


def evaluate_items(plan, numerator, denominator, threshold, common):
    """Items for arrays of numerators and denominators in hundredths times a `common` factor
    (1, or a level share's whole) and thresholds (thousandths or NONE). Returns (Items without
    `applies`, overflow mask).

    With n, d in hundredths, scale s in hundredths and t in thousandths: the verdict compares
    n·s·10 with t·d; the value in ten-thousandths is n·s·100 ÷ d; the percent in hundredths is
    n·s·10⁵ ÷ (d·t) (≥) or t·d·1000 ÷ (n·s) (≤), each by long division so that no power of ten
    multiplies a large product; the shortfall in hundredths is the verdict's gap ÷ (10·s·common).
    """
    scale = plan.scale
    n_f, d_f = numerator.astype(np.float64), denominator.astype(np.float64)
    t_f = np.maximum(threshold, 0).astype(np.float64)
    ns_f, td_f = n_f * scale, t_f * d_f
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(plan.spec.direction == "le", td_f * 1000 / ns_f, ns_f * 100_000 / td_f)
    biggest = np.maximum(ns_f * 10, td_f * 10)
    overflow = (
        (biggest >= SAFE)
        | (np.nan_to_num(ratio, posinf=0.0) >= SAFE)
        | (ns_f * 100 / np.maximum(d_f, 1) >= SAFE)
    )
    overflow |= np.asarray(common, dtype=np.float64) * scale * 1000.0 >= SAFE
    overflow |= (numerator < 0) | (denominator < 0)
    n = np.where(overflow, 0, numerator)
    d = np.where(overflow, 1, denominator)
    common = np.where(overflow, 1, common)
    has_value = d != 0
    safe_d = np.where(has_value, d, 1)
    ns = n * scale
    value, _floor = scaled_quotient(ns, safe_d, 2)
    value = np.where(has_value, value, NONE)
    judged = has_value & (threshold != NONE)
    t = np.where(judged, threshold, 0)
    lhs, rhs = ns * 10, t * safe_d
    if plan.spec.direction == "le":
        passed = lhs <= rhs
        zero = ns == 0
        percent, percent_floor = scaled_quotient(np.where(zero, 0, rhs), np.where(zero, 1, ns), 3)
        gap = lhs - rhs
    else:
        passed = lhs >= rhs
        zero = t == 0
        percent, percent_floor = scaled_quotient(np.where(zero, 0, ns), np.where(zero, 1, rhs), 5)
        gap = rhs - lhs
    percent = np.where(zero, 10_000, percent)
    percent_floor = np.where(zero, 10_000, percent_floor)
    integral = plan.spec.integral
    divisor = scale * (1000 if integral else 10) * common
    shortfall = np.where(passed, 0, ceiling(np.maximum(gap, 0), divisor) * (100 if integral else 1))
    items = Items(
        applies=None,
        value=value,
        threshold=threshold,
        passed=np.where(judged, passed.astype(np.int8), NONE).astype(np.int8),
        percent=np.where(judged, percent, NONE),
        percent_floor=np.where(judged, percent_floor, NONE),
        shortfall=np.where(judged, shortfall, NONE),
    )
    return items, overflow


def _school_units(table, plans, pick):
    """Whole schools: "{level}" keys summed over the levels the type teaches (and the
    indicator applies to); thresholds by school type, total classes and area type."""
    rows = np.arange(len(table))
    n = len(rows)
    classes = np.zeros(n, dtype=np.int64)
    numerators = [np.zeros(n, dtype=np.int64) for _ in plans]
    denominators = [np.zeros(n, dtype=np.int64) for _ in plans]
    applies = [np.zeros(n, dtype=bool) for _ in plans]
    for t, school_type in enumerate(TYPES):
        group = np.nonzero(table.school_type == t)[0]
        if not len(group):
            continue
        levels = TYPE_LEVELS[school_type]
        classes[group] = _sum_columns(table, group, [f"classes_{lvl}" for lvl in levels]) // 100
        for p in plans:
            used = p.spec.levels_within(levels)
            if not used:
                continue
            applies[p.index][group] = True
            numerators[p.index][group] = _sum_columns(
                table, group, expand_keys(p.spec.numerator, tuple(used))
            )
            denominators[p.index][group] = _sum_columns(
                table, group, expand_keys(p.spec.denominator, tuple(used))
            )
    return Units(row=rows, part=np.zeros(n, dtype=np.int8), items=[]), {
        "applies_to": table.school_type.astype(np.int64),
        "classes": classes,
        "numerators": numerators,
        "denominators": denominators,
        "applies": applies,
        "divisor": np.ones(n, dtype=np.int64),
    }


def weight_table(weights):
    """Integer weights (thousandths) per type and level: primary 1000, junior 1100, …"""
    junior, senior, cm_senior = (to_int(w, 3) for w in (weights.junior, weights.senior, weights.cm_senior))
    general = {"primary": 1000, "junior": junior, "senior": senior}
    complete = {"junior": 1000, "senior": cm_senior}
    return {
        t: {lvl: (complete if t == "complete_middle" else general)[lvl] for lvl in TYPE_LEVELS[t]}
        for t in TYPES
    }


def level_split(table, values, rows, level, weights):
    """(own share a, whole b) per row of `values`: the level's share of shared resources is
    a / b exactly (weighted students, reduced by their gcd); (1, 1) for a one-level school."""
    by_type = weight_table(weights)
    a = np.ones(len(rows), dtype=np.int64)
    b = np.ones(len(rows), dtype=np.int64)
    types = table.school_type[rows]
    for t, school_type in enumerate(TYPES):
        levels = TYPE_LEVELS[school_type]
        if len(levels) == 1 or level not in levels:
            continue
        mine = np.nonzero(types == t)[0]
        if not len(mine):
            continue
        students = {lvl: values[rows[mine], table.keys.index(f"students_{lvl}")] // 100 for lvl in levels}
        whole = sum(by_type[school_type][lvl] * students[lvl] for lvl in levels)
        part = by_type[school_type][level] * students[level]
        common = np.gcd(part, whole)
        common = np.where(common == 0, 1, common)
        a[mine], b[mine] = part // common, whole // common
    return a, b


def _level_units(table, plans, pick, weights):
    """Each compulsory level part of a school with students at that level: level keys as they
    are, shared keys times the level's share; thresholds by level, its classes and area type.
    Amounts carry the share's whole b as a common factor (value, verdict and percent do not
    depend on it; the shortfall is divided by it)."""
    units, extra = [], []
    for p_index, level in enumerate(COMPULSORY_LEVELS, start=1):
        teaches = np.array([level in TYPE_LEVELS[t] for t in TYPES])[table.school_type]
        rows = np.nonzero(teaches & (table.column(f"students_{level}") > 0))[0]
        if not len(rows):
            continue
        a, b = level_split(table, table.values, rows, level, weights)
        numerators, denominators, applies = [], [], []
        for p in plans:
            applies.append(np.full(len(rows), not p.spec.levels or level in p.spec.levels))
            numerators.append(_part_amount(table, rows, p.spec.numerator, level, a, b))
            denominators.append(_part_amount(table, rows, p.spec.denominator, level, a, b))
        units.append((rows, p_index))
        extra.append(
            {
                "applies_to": np.full(len(rows), len(TYPES) + p_index - 1, dtype=np.int64),
                "classes": table.column(f"classes_{level}")[rows] // 100,
                "numerators": numerators,
                "denominators": denominators,
                "applies": applies,
                "divisor": b,
            }
        )
    if not units:
        empty = np.zeros(0, dtype=np.int64)
        return Units(row=empty, part=empty.astype(np.int8), items=[]), {
            "applies_to": empty,
            "classes": empty,
            "numerators": [empty for _ in plans],
            "denominators": [empty for _ in plans],
            "applies": [empty.astype(bool) for _ in plans],
            "divisor": empty,
        }
    row = np.concatenate([r for r, _ in units])
    part = np.concatenate([np.full(len(r), p, dtype=np.int8) for r, p in units])
    order = np.lexsort((part, row))  # a school's parts together, in level order
    merged = {
        key: np.concatenate([e[key] for e in extra])[order] for key in ("applies_to", "classes", "divisor")
    }
    for key in ("numerators", "denominators", "applies"):
        merged[key] = [np.concatenate([e[key][i] for e in extra])[order] for i in range(len(plans))]
    return Units(row=row[order], part=part[order], items=[]), merged


def _part_amount(table, rows, keys, level, a, b):
    """own × b + shared × a (hundredths × b); −1 where that would not fit (the item then
    falls back to the reference)."""
    own = _sum_columns(table, rows, [k.format(level=level) for k in keys if "{level}" in k])
    shared = _sum_columns(table, rows, [k for k in keys if "{level}" not in k])
    estimate = own.astype(np.float64) * b + shared.astype(np.float64) * a
    fits = estimate < SAFE
    total = np.where(fits, own, 0) * np.where(fits, b, 0) + np.where(fits, shared, 0) * np.where(fits, a, 0)
    return np.where(fits, total, -1)


def evaluate(table, indicators, rule, *, by_level, weights, pick):
    """Every unit of every report in `table`: Units with per-indicator Items, failed and
    evaluated counts and the pass rule's verdict. Units that would overflow are marked in
    `fallback` (their columns are meaningless): the caller evaluates them with the reference."""
    plans = plan_indicators(indicators)
    if by_level:
        units, data = _level_units(table, plans, pick, weights)
    else:
        units, data = _school_units(table, plans, pick)
    count = len(units.row)
    area = table.area_type[units.row].astype(np.int64)
    fallback = np.zeros(count, dtype=bool)
    for p in plans:
        threshold = _thresholds(p, pick, data["applies_to"], data["classes"], area, table.areas)
        items, overflow = evaluate_items(
            p, data["numerators"][p.index], data["denominators"][p.index], threshold, data["divisor"]
        )
        applies = data["applies"][p.index]
        fallback |= overflow & applies
        items.applies = applies
        units.items.append(items)
    judged = [(it.passed != NONE) & it.applies for it in units.items]
    failed_items = [(it.passed == 0) & it.applies for it in units.items]
    units.failed = np.sum(failed_items, axis=0).astype(np.int64) if plans else np.zeros(count, np.int64)
    units.evaluated = np.sum(judged, axis=0).astype(np.int64) if plans else np.zeros(count, np.int64)
    ok = units.failed <= rule.max_failed
    if rule.min_percent is not None:
        least = to_int(rule.min_percent, 2)
        for failing, it in zip(failed_items, units.items, strict=True):
            ok &= ~failing | (it.percent_floor >= least)
    units.passed_rule = (units.failed == 0) | ok
    units.fallback = fallback
    return units


# ---------------------------------------------------------------------------------- balance


def balance_rows(table, rule):
    """Rows taking part, per the rule's treatment of private schools and teaching points; with
    "merge", a teaching point's figures are added to its parent's (when the parent takes part,
    in the same county) and the point itself leaves. Returns (row indices, values)."""
    rows = np.arange(len(table))
    if not rule.include_private:
        rows = rows[~table.private[rows]]
    values = table.values
    if rule.teaching_points == "exclude":
        return rows[~table.teaching_point[rows]], values
    if rule.teaching_points == "merge":
        present = {sid: r for r, sid in zip(rows.tolist(), table.school_id[rows].tolist(), strict=True)}
        points = rows[table.teaching_point[rows]]
        parents = np.array([present.get(p, -1) for p in table.parent_id[points].tolist()], dtype=np.int64)
        same = parents >= 0
        same[same] = table.county[parents[same]] == table.county[points[same]]
        if same.any():
            values = values.copy()
            np.add.at(values, parents[same], values[points[same]])
            rows = np.setdiff1d(rows, points[same], assume_unique=True)
        return rows, values
    minimum = rule.teaching_point_min_students * 100
    keep = np.ones(len(rows), dtype=bool)
    points = table.teaching_point[rows]
    if points.any():
        students = np.zeros(len(rows), dtype=np.int64)
        for t, school_type in enumerate(TYPES):
            mine = table.school_type[rows] == t
            for lvl in TYPE_LEVELS[school_type]:
                students[mine] += values[rows[mine], table.keys.index(f"students_{lvl}")]
        keep = ~points | (students >= minimum)
    return rows[keep], values


def _float_amount(values, keys, rows, plan, share):
    own, shared = plan
    total = np.zeros(len(rows))
    for key in own:
        total = total + values[rows, keys.index(key)] / 100.0
    if shared:
        common = np.zeros(len(rows))
        for key in shared:
            common = common + values[rows, keys.index(key)] / 100.0
        total = total + common * share
    return total


def level_amounts(table, rows, values, level, indicators, weights):
    """For the schools of `rows` teaching `level` with students at it: (their rows, students,
    [(R, n)] per indicator) in floats, spanning schools split by weighted students."""
    teaches = np.array([level in TYPE_LEVELS[t] for t in TYPES])[table.school_type[rows]]
    students_col = table.keys.index(f"students_{level}")
    rows = rows[teaches & (values[rows, students_col] > 0)]
    # a / b rounded once: the same double as the weighted students' own quotient.
    a, b = level_split(table, values, rows, level, weights)
    share = a / b
    amounts = []
    for ind in indicators:
        numerator = _split_keys(ind.numerator, level)
        denominator = _split_keys(ind.denominator, level)
        amounts.append(
            (
                _float_amount(values, table.keys, rows, numerator, share),
                _float_amount(values, table.keys, rows, denominator, share),
            )
        )
    return rows, values[rows, students_col] / 100.0, amounts


def _split_keys(keys, level):
    return (
        tuple(k.format(level=level) for k in keys if "{level}" in k),
        tuple(k for k in keys if "{level}" not in k),
    )


def grouped_cv(groups, count, n, r, scale):
    """Student-weighted coefficient of variation per group (population form, two passes), for
    units (n_i, R_i) labelled by `groups` in [0, count); units with n = 0 are left out.
    Returns (mean, cv, students) arrays; cv is NaN where there are no students or the mean is 0."""
    used = n != 0
    g, n, r = groups[used], n[used], r[used]
    total = np.bincount(g, weights=n, minlength=count)
    resource = np.bincount(g, weights=r, minlength=count)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = resource / total * scale
        x = r / n * scale
        variance = np.bincount(g, weights=n / total[g] * (x - mean[g]) ** 2, minlength=count)
        cv = np.sqrt(variance) / mean
    mean = np.where(total == 0, np.nan, mean)
    cv = np.where((total == 0) | (mean == 0), np.nan, cv)
    return mean, cv, total


# ------------------------------------------------------------------------------ as stored

_STORED = ("value", "threshold", "passed", "percent", "shortfall")


def unit_texts(units, indicator_ids, which):
    """Per unit of `which` (unit indices), its items as the stored JSON text (per applying
    indicator [id, value, threshold, passed, percent, shortfall] in ten-thousandths,
    thousandths, 1/0, hundredths and hundredths, null where absent: `standards.calc.codec`) and
    its failed indicators as `codec.failed_text`. Units are grouped by which indicators apply
    to them and by which they fail (a few patterns each); a group's texts come from one format
    with its indicator ids written in, where NONE, the only negative number (every real value
    is ≥ 0), is printed -1 and then replaced by null."""
    which = np.asarray(which, dtype=np.int64)
    count, width = len(which), len(indicator_ids)
    if not count or not width:
        return ["[]"] * count, [""] * count
    cube = np.empty((count, width, len(_STORED)), dtype=np.int64)
    applies = np.zeros((count, width), dtype=bool)
    failed = np.zeros((count, width), dtype=bool)
    for j, it in enumerate(units.items):
        for f, name in enumerate(_STORED):
            cube[:, j, f] = getattr(it, name)[which]
        applies[:, j] = it.applies[which]
        failed[:, j] = applies[:, j] & (it.passed[which] == 0)
    ids = np.asarray(indicator_ids)
    texts = [""] * count
    for pattern, members in _patterns(applies):
        item = "[%d" + ",%d" * len(_STORED) + "]"
        form = "[" + ",".join(item.replace("%d", str(i), 1) for i in ids[pattern].tolist()) + "]"
        rows = cube[members][:, pattern].reshape(len(members), -1).tolist()
        printed = "\n".join([form % tuple(row) for row in rows]).replace("-1", "null").split("\n")
        for m, line in zip(members.tolist(), printed, strict=True):
            texts[m] = line
    failing = [""] * count
    for pattern, members in _patterns(failed):
        text = failed_text(ids[pattern].tolist())
        for m in members.tolist():
            failing[m] = text
    return texts, failing


def _patterns(matrix):
    """(row pattern, indices of the rows having it) for each distinct row of a bool matrix."""
    width = matrix.shape[1]
    if width < 63:  # each row as the bits of one integer: a plain sort
        keys = matrix.astype(np.int64) @ (np.int64(1) << np.arange(width, dtype=np.int64))
        _keys, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        patterns = matrix[first]
    else:
        patterns, inverse = np.unique(matrix, axis=0, return_inverse=True)
    return list(zip(patterns, members(inverse.reshape(-1), len(patterns)), strict=True))


def members(groups, count, rank=None):
    """Per group 0 … count−1 of `groups` (one per row), the rows in it, ordered by `rank`
    (by row without one)."""
    order = np.argsort(groups, kind="stable") if rank is None else np.lexsort((rank, groups))
    bounds = np.searchsorted(groups[order], np.arange(count + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(count)]


# ---------------------------------------------------------------------- plain inputs ⇄ rows


def table_from_inputs(schools, keys, areas=("", "urban", "town", "rural")):
    """A Table of `schools` (SchoolInput, figures as numbers with at most 2 decimal places)."""

    position = {s.code: i for i, s in enumerate(schools)}

    def cents(value):
        return 0 if value is None else to_int(Decimal(value), 2)

    return Table(
        keys=tuple(keys),
        values=np.array([[cents(s.values.get(k)) for k in keys] for s in schools], dtype=np.int64).reshape(
            len(schools), len(keys)
        ),
        report_id=np.array([s.report_id or i for i, s in enumerate(schools)], dtype=np.int64),
        revision=np.array([s.revision for s in schools], dtype=np.int64),
        school_type=np.array([TYPES.index(s.school_type) for s in schools], dtype=np.int8),
        area_type=np.array([areas.index(s.area_type or "") for s in schools], dtype=np.int8),
        areas=tuple(areas),
        school_id=np.arange(len(schools), dtype=np.int64),
        parent_id=np.array([position.get(s.parent_code, -1) for s in schools], dtype=np.int64),
        private=np.array([s.ownership == "private" for s in schools], dtype=bool),
        teaching_point=np.array([s.teaching_point for s in schools], dtype=bool),
        county=np.zeros(len(schools), dtype=np.int64),
    )


def row_input(table, row):
    """Row `row` of `table` as a SchoolInput with Decimal figures (for the reference engine)."""
    return SchoolInput(
        code=str(int(table.report_id[row])),
        school_type=TYPES[table.school_type[row]],
        area_type=table.areas[table.area_type[row]],
        values={k: Decimal(int(v)).scaleb(-2) for k, v in zip(table.keys, table.values[row], strict=True)},
        report_id=int(table.report_id[row]),
        revision=int(table.revision[row]),
    )
