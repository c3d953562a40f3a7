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


def values_fingerprints(table):
    """Per row of a `vector.Table`, a 64-bit FNV-1a-style hash of its school type, area type
    and figures, as int64 (what a BigIntegerField stores) and never 0 (0: nothing stored):
    changes whenever any of them does."""
    import numpy as np

    prime = np.uint64(0x100000001B3)
    digest = np.full(len(table), 0xCBF29CE484222325, dtype=np.uint64)
    for column in (table.school_type, table.area_type, *table.values.T):
        digest ^= column.astype(np.int64).view(np.uint64)
        digest *= prime
    return (digest | np.uint64(1)).view(np.int64)
