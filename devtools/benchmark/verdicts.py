"""The Decimal reference engine against what `compliance_evaluate` returned and stored.

Verdicts are compared unit by unit (a whole school, or one level part of it) and item by item:
the unit's pass under the rule, each indicator's pass, fail or none. The reference reads its own
inputs with a plain values_list, apart from the engine's reader.
"""

from schools.models import AnnualReport
from standards.calc.codec import decode_items
from standards.calc.compliance import evaluate_levels, evaluate_school
from standards.calc.thresholds import ThresholdPicker
from standards.models import ComplianceSummary, Standard
from standards.selectors import indicator_specs, pass_rule_spec, school_inputs, split_weights


def _inputs(year):
    """The approved reports of `year` as plain inputs, read apart from the engine's reader."""
    return school_inputs(AnnualReport.objects.approved().filter(year=year))


def _verdicts(units):
    return {
        unit.part: (unit.passed_rule, {item.indicator.id: item.passed for item in unit.items})
        for unit in units
    }


def reference(standard, year):
    """({report id: {part: (passed under the rule, {indicator id: passed})}}, items exactly at their
    threshold) of every approved report of `year`, by `evaluate_school` or `evaluate_levels` with
    the standard's specs."""
    indicators, rule, pick = indicator_specs(standard), pass_rule_spec(standard), ThresholdPicker()
    weights = split_weights(standard)
    by_level = standard.evaluation_unit == Standard.Unit.LEVEL
    found, ties = {}, 0
    for school in _inputs(year):
        if by_level:
            units = evaluate_levels(school, indicators, rule, weights, pick)
        else:
            units = evaluate_school(school, indicators, rule, pick)
        found[school.report_id] = _verdicts(units)
        ties += sum(
            item.threshold is not None and item.value == item.threshold
            for unit in units
            for item in unit.items
        )
    return found, ties


def returned(results):
    """The same shape from `compliance_evaluate`'s [(school input, [UnitResult…])]."""
    return {school.report_id: _verdicts(units) for school, units in results}


def stored(standard, year):
    """The same shape from the stored summaries and their items."""
    found = {}
    summaries = ComplianceSummary.objects.filter(standard=standard, report__year=year)
    for report_id, part, passed, items in summaries.values_list("report_id", "part", "passed_rule", "items"):
        found.setdefault(report_id, {})[part] = (
            passed,
            {item.indicator_id: item.passed for item in decode_items(items)},
        )
    return found


def differences(expected, found):
    """Verdicts of `found` that are not `expected`'s: a unit's pass under the rule and each
    item's pass, fail or none; a unit or item present on one side only counts as one."""
    count = 0
    for report_id in expected.keys() | found.keys():
        mine, theirs = expected.get(report_id, {}), found.get(report_id, {})
        for part in mine.keys() | theirs.keys():
            if part not in mine or part not in theirs:
                count += 1
                continue
            (rule_a, items_a), (rule_b, items_b) = mine[part], theirs[part]
            count += rule_a != rule_b
            missing = object()
            count += sum(
                items_a.get(key, missing) != items_b.get(key, missing)
                for key in items_a.keys() | items_b.keys()
            )
    return count


def count_items(verdicts):
    units = sum(len(parts) for parts in verdicts.values())
    items = sum(len(items) for parts in verdicts.values() for _, items in parts.values())
    return units, items
