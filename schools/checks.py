"""The bureau's report rules (`ReportRule`, kept as data) applied to one report's figures.

Plain Python: the rules arrive as plain objects, the figures as dicts of key → number.
"""

from dataclasses import dataclass
from decimal import Decimal

from schools.levels import TYPE_LEVELS


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    field: str
    message: str
    value: Decimal | None = None


def _expand(keys, level):
    return [key.format(level=level) for key in keys]


def _levels(rule, levels):
    keyed = any("{level}" in key for key in (*rule.numerator, *rule.denominator))
    return levels if keyed else (None,)


def _total(values, keys):
    return sum(Decimal(values.get(key) or 0) for key in keys)


def _range(rule, values, levels):
    for level in _levels(rule, levels):
        numerator = _expand(rule.numerator, level) if level else list(rule.numerator)
        denominator = _expand(rule.denominator, level) if level else list(rule.denominator)
        amount = _total(values, numerator)
        if denominator:
            base = _total(values, denominator)
            if not base:
                continue
            amount = amount / base
        low_ok = rule.minimum is None or amount >= rule.minimum
        high_ok = rule.maximum is None or amount <= rule.maximum
        if not (low_ok and high_ok):
            yield Finding(rule.code, rule.severity, numerator[0], rule.message, amount.quantize(Decimal("0.01")))


def _change(rule, values, previous, levels):
    if not previous:
        return
    for level in _levels(rule, levels):
        for key in _expand(rule.numerator, level) if level else rule.numerator:
            before = previous.get(key)
            if not before:
                continue  # nothing to compare with
            change = abs(Decimal(values.get(key) or 0) - Decimal(before)) / Decimal(before) * 100
            if change > rule.max_change_percent:
                yield Finding(rule.code, rule.severity, key, rule.message, change.quantize(Decimal("0.1")))


def check_report(values, previous, school_type, rules):
    """Every finding of `rules` on a report's `values`, given last year's approved `previous`
    values (or None) and the school's type."""
    levels = TYPE_LEVELS[school_type]
    findings = []
    for rule in rules:
        if rule.kind == "range":
            findings.extend(_range(rule, values, levels))
        else:
            findings.extend(_change(rule, values, previous, levels))
    return findings
