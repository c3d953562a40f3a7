"""Fingerprints of what a stored result was computed from, to tell when it is stale."""

import hashlib
from decimal import Decimal


def _digest(parts):
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def _n(number):
    """One text per value: 1.1 and 1.100 (as read back from a DecimalField) print alike."""
    return None if number is None else str(Decimal(number).normalize())


def spec_fingerprint(unit, indicators, rule, weights):
    """Changes whenever anything that decides a result changes: the evaluation unit, an
    indicator's formula, its thresholds, the pass rule or the split weights."""
    return _digest(
        (
            unit,
            [
                (
                    i.code,
                    i.numerator,
                    i.denominator,
                    _n(i.scale),
                    i.direction,
                    i.levels,
                    i.integral,
                    [
                        (_n(t.value), t.applies_to, t.min_classes, t.max_classes, t.area_type)
                        for t in i.thresholds
                    ],
                )
                for i in indicators
            ],
            (rule.max_failed, _n(rule.min_percent)),
            (_n(weights.junior), _n(weights.senior), _n(weights.cm_senior)),
        )
    )


def values_fingerprint(school):
    """Changes whenever the school's report values (in the order they were read) or the
    attributes that pick thresholds change."""
    return _digest((school.school_type, school.area_type, *school.values.values()))
