"""The bureau's report rules (`ReportRule`, kept as data) applied to one report's figures.

Plain Python: the rules arrive as plain objects, the figures as dicts of key → number.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from schools import fields as report_fields
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


def _fields(rule, levels):
    """(numerator keys, denominator keys) once per level the rule applies to."""
    for level in _levels(rule, levels):
        if level:
            yield _expand(rule.numerator, level), _expand(rule.denominator, level)
        else:
            yield list(rule.numerator), list(rule.denominator)


def _plain(number):
    return f"{Decimal(number).normalize():,f}"


def _bounds(rule):
    if rule.maximum is None:
        return _("应不小于%(min)s") % {"min": _plain(rule.minimum)}
    if rule.minimum is None:
        return _("应不超过%(max)s") % {"max": _plain(rule.maximum)}
    return _("应在%(min)s～%(max)s之间") % {"min": _plain(rule.minimum), "max": _plain(rule.maximum)}


def _outside(rule, value):
    return (rule.minimum is not None and value < rule.minimum) or (
        rule.maximum is not None and value > rule.maximum
    )


def _out_of_bounds(rule, key, value):
    amount = Decimal(value)
    message = _("%(message)s：%(value)s（%(key)s），%(bounds)s") % {
        "message": rule.message,
        "value": _plain(amount),
        "key": key,
        "bounds": _bounds(rule),
    }
    return Finding(rule.code, rule.severity, key, message, amount)


def _each(rule, values, levels):
    """A range rule applied to each numerator field on its own; the message names the bounds."""
    for numerator, _denominator in _fields(rule, levels):
        for key in numerator:
            value = values.get(key)
            if value is not None and _outside(rule, value):
                yield _out_of_bounds(rule, key, value)


def _compare(rule, values, levels):
    """A part that exceeds its whole."""
    for numerator, denominator in _fields(rule, levels):
        part, whole = _total(values, numerator), _total(values, denominator)
        if part > whole:
            yield Finding(rule.code, rule.severity, numerator[0], rule.message, part)


def _range(rule, values, levels):
    if rule.each_field:
        yield from _each(rule, values, levels)
        return
    for numerator, denominator in _fields(rule, levels):
        amount = _total(values, numerator)
        if denominator:
            base = _total(values, denominator)
            if not base:
                continue
            amount = amount / base
        low_ok = rule.minimum is None or amount >= rule.minimum
        high_ok = rule.maximum is None or amount <= rule.maximum
        if not (low_ok and high_ok):
            yield Finding(
                rule.code, rule.severity, numerator[0], rule.message, amount.quantize(Decimal("0.01"))
            )


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
        elif rule.kind == "compare":
            findings.extend(_compare(rule, values, levels))
        else:
            findings.extend(_change(rule, values, previous, levels))
    return findings


class Checker:
    """The error rules of one request or one import, prepared once: which single fields each
    school type's rules bound, and the rules that compare fields (an import checks every row)."""

    def __init__(self, rules):
        rules = [rule for rule in rules if rule.severity == "error"]
        self._single_rules = [rule for rule in rules if rule.kind == "range" and rule.each_field]
        self._compare_rules = [rule for rule in rules if rule.kind == "compare"]
        self._other = [rule for rule in rules if rule.kind != "compare" and not rule.each_field]
        self._by_type = {}

    def _prepared(self, school_type):
        """(bounded fields as (key, rule), compared fields as (part keys, whole keys, rule)) with
        "{level}" expanded for the levels `school_type` teaches."""
        if school_type not in self._by_type:
            levels = TYPE_LEVELS[school_type]
            bounded = [
                (key, rule)
                for rule in self._single_rules
                for numerator, _denominator in _fields(rule, levels)
                for key in numerator
            ]
            compared = [
                (numerator, denominator, rule)
                for rule in self._compare_rules
                for numerator, denominator in _fields(rule, levels)
            ]
            self._by_type[school_type] = (bounded, compared)
        return self._by_type[school_type]

    def field_problems(self, values, school_type):
        """The (field key, message) pairs that single fields cause on their own: the rules that
        bound each field, then negatives no rule flagged (the database holds none). Safe to
        apply to a partly unreadable row."""
        problems = []
        for key, rule in self._prepared(school_type)[0]:
            value = values.get(key)
            if value is not None and _outside(rule, value):
                problems.append((key, _out_of_bounds(rule, key, value).message))
        flagged = {field for field, _message in problems}
        for key in report_fields.NUMERIC_KEYS:
            if key not in flagged and (values.get(key) or 0) < 0:
                problems.append(
                    (key, _("不能为负数：%(value)s（%(key)s）") % {"value": values[key], "key": key})
                )
        return problems

    def blocking(self, values, school_type, previous=None):
        """Every (field key, message) that must stop a save or an import: the error rules'
        findings, then what the database itself forbids (negatives, the contradictions of
        `schools.fields`) on fields no rule flagged, so that switching a rule off never lets such
        figures through. Error rules on the change from last year need its approved `previous`
        values (an import, of the bureau's own approved figures, has none)."""
        problems = self.field_problems(values, school_type)
        for numerator, denominator, rule in self._prepared(school_type)[1]:
            if sum(values.get(key) or 0 for key in numerator) > sum(
                values.get(key) or 0 for key in denominator
            ):
                problems.append((numerator[0], rule.message))
        problems += [(f.field, f.message) for f in check_report(values, previous, school_type, self._other)]
        flagged = {field for field, _message in problems}
        problems += [
            (field, message)
            for field, message in report_fields.contradictions(values, school_type)
            if field not in flagged
        ]
        return problems


def blocking(values, school_type, rules, previous=None):
    """`Checker.blocking` of one report."""
    return Checker(rules).blocking(values, school_type, previous)


def field_bounds(rules):
    """key → (lowest, highest) plausible value, from the rules that bound single fields (for
    input validation in templates); None where no rule sets that side."""
    bounds = {}
    for rule in rules:
        if rule.kind != "range" or not rule.each_field or rule.severity != "error":
            continue
        for numerator, _denominator in _fields(rule, report_fields.LEVELS):
            for key in numerator:
                low, high = bounds.get(key, (None, None))
                if rule.minimum is not None:
                    low = rule.minimum if low is None else max(low, rule.minimum)
                if rule.maximum is not None:
                    high = rule.maximum if high is None else min(high, rule.maximum)
                bounds[key] = (low, high)
    return bounds
