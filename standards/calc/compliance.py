"""Per-school compliance: indicator values against thresholds, shortfalls and the pass rule."""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from schools.levels import COMPULSORY_LEVELS, TYPE_LEVELS
from standards.calc.split import level_shares
from standards.calc.thresholds import ThresholdPicker, expand_keys

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
VALUE_PLACES = Decimal("0.0001")
# Stored places: value 4, percent 2, shortfall 2 (threshold keeps its own 3).
VALUE_DIGITS, PERCENT_DIGITS, SHORTFALL_DIGITS = 4, 2, 2


@dataclass(slots=True)
class ItemResult:
    indicator: object
    value: Decimal | None
    threshold: Decimal | None
    passed: bool | None
    percent: Decimal | None
    shortfall: Decimal | None
    # The percent before rounding: the pass rule's minimum percent is compared with it.
    exact_percent: Fraction | None = None


@dataclass(slots=True)
class UnitResult:
    """The result for one evaluated unit: a whole school (part "") or one level of it."""

    part: str
    items: list
    failed: int
    evaluated: int
    passed_rule: bool


def _dec(value):
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(value)


def _frac(value):
    return value if isinstance(value, Fraction) else Fraction(_dec(value))


def rounded(amount, digits):
    """`amount` (a Fraction) to `digits` decimal places, half to even, exactly."""
    return Decimal(round(amount * 10**digits)).scaleb(-digits)


def _round_up(amount, integral):
    if integral:
        return Decimal(math.ceil(amount))
    return Decimal(math.ceil(amount * 10**SHORTFALL_DIGITS)).scaleb(-SHORTFALL_DIGITS)


def evaluate_item(indicator, numerator, denominator, threshold):
    """One indicator for one unit. `threshold` is a Decimal or None (nothing applies).

    value = numerator ÷ denominator × scale; no value (and no verdict) when the denominator
    is 0. Everything is computed in exact fractions (a level part's amounts may carry a share
    such as 100/342) and rounded once: the value to 4 places and the percent to 2, half to even,
    the shortfall up. Pass/fail compares numerator × scale with threshold × denominator, so a
    value exactly at its threshold passes. The shortfall is in the numerator's unit: what must
    be added (≥) or removed (≤) to reach the threshold.
    """
    numerator, denominator = _frac(numerator), _frac(denominator)
    if not denominator:
        return ItemResult(indicator, None, threshold, None, None, None)
    scale = _frac(indicator.scale)
    exact_value = numerator * scale / denominator
    value = rounded(exact_value, VALUE_DIGITS)
    if threshold is None:
        return ItemResult(indicator, value, None, None, None, None)
    limit = _frac(threshold)
    if indicator.direction == "le":
        passed = numerator * scale <= limit * denominator
        percent = Fraction(100) if not exact_value else limit / exact_value * 100
        sign = 1
    else:
        passed = numerator * scale >= limit * denominator
        percent = Fraction(100) if not limit else exact_value / limit * 100
        sign = -1
    shown = rounded(percent, PERCENT_DIGITS)
    if passed:
        return ItemResult(indicator, value, threshold, True, shown, ZERO, percent)
    gap = sign * (numerator - limit * denominator / scale)
    return ItemResult(indicator, value, threshold, False, shown, _round_up(gap, indicator.integral), percent)


def passes_rule(items, rule):
    """At most `rule.max_failed` failed items, each still at `rule.min_percent` % or more."""
    failed = [item for item in items if item.passed is False]
    if len(failed) > rule.max_failed:
        return False
    if rule.min_percent is None:
        return True
    return all(
        (item.percent if item.exact_percent is None else item.exact_percent) >= rule.min_percent
        for item in failed
    )


def _sum(values, keys, levels):
    return _total(values, expand_keys(keys, levels))


def _total(values, keys):
    total = 0
    for key in keys:
        total += values.get(key) or 0
    return total


def part_amounts(indicator, school, level, shares):
    """Numerator and denominator of one level part: level keys taken as they are, shared
    (level-free) keys multiplied by the level's share of weighted students."""

    share = Fraction(shares.get(level, 0))

    def amount(keys):
        total = Fraction(0)
        for key in keys:
            if "{level}" in key:
                total += _frac(school.values.get(key.format(level=level)))
            else:
                total += _frac(school.values.get(key)) * share
        return total

    return amount(indicator.numerator), amount(indicator.denominator)


def _unit_result(part, items, rule):
    failed = evaluated = 0
    for item in items:
        if item.passed is not None:
            evaluated += 1
            if not item.passed:
                failed += 1
    passed = failed == 0 or passes_rule(items, rule)
    return UnitResult(part, items, failed, evaluated, passed)


def evaluate_school(school, indicators, rule, pick=None):
    """Evaluate a whole school: "{level}" keys summed over the levels its type teaches (those
    the indicator applies to, when it names any), thresholds chosen by school type, total
    classes and area type."""
    pick = pick or ThresholdPicker()
    school_type, area_type, values = school.school_type, school.area_type, school.values
    levels = TYPE_LEVELS[school_type]
    classes = int(_sum(values, ("classes_{level}",), levels))
    items = [
        evaluate_item(
            indicator,
            _total(values, numerator),
            _total(values, denominator),
            pick.value(indicator, school_type, classes, area_type),
        )
        for indicator, numerator, denominator in pick.school_plan(indicators, school_type, levels)
    ]
    return [_unit_result("", items, rule)]


def evaluate_levels(school, indicators, rule, weights, pick=None):
    """Evaluate each compulsory level part of a school that has students at that level."""
    pick = pick or ThresholdPicker()
    levels = TYPE_LEVELS[school.school_type]
    students = {level: school.values.get(f"students_{level}") or 0 for level in levels}
    shares = level_shares(school.school_type, students, weights)
    units = []
    for level in COMPULSORY_LEVELS:
        if level not in levels or not students[level]:
            continue
        classes = int(_dec(school.values.get(f"classes_{level}")))
        items = []
        for indicator in indicators:
            if indicator.levels and level not in indicator.levels:
                continue
            numerator, denominator = part_amounts(indicator, school, level, shares)
            items.append(
                evaluate_item(
                    indicator, numerator, denominator, pick.value(indicator, level, classes, school.area_type)
                )
            )
        units.append(_unit_result(level, items, rule))
    return units
