"""Choosing the threshold that applies to one school (or level part)."""

from functools import lru_cache


@lru_cache(maxsize=4096)
def expand_keys(keys, levels):
    """The concrete report keys: each "{level}" key once per level, the others as they are."""
    expanded = []
    for key in keys:
        if "{level}" in key:
            expanded.extend(key.format(level=level) for level in levels)
        else:
            expanded.append(key)
    return tuple(expanded)


def pick_threshold(thresholds, applies_to, classes, area_type):
    """The most specific threshold for a unit, or None when none applies.

    A threshold matches when its `applies_to` is blank or equal, `classes` lies within its band
    (bounds inclusive, a missing bound open) and its `area_type` is blank or equal. An exact
    `applies_to` beats a blank one, then an exact area type beats a blank one, then the
    narrower band wins.
    """
    best, best_key = None, None
    for t in thresholds:
        if t.applies_to and t.applies_to != applies_to:
            continue
        if t.area_type and t.area_type != area_type:
            continue
        if t.min_classes is not None and classes < t.min_classes:
            continue
        if t.max_classes is not None and classes > t.max_classes:
            continue
        bounded = (t.min_classes is not None) + (t.max_classes is not None)
        key = (bool(t.applies_to), bool(t.area_type), bounded)
        if best_key is None or key > best_key:
            best, best_key = t, key
    return best


class ThresholdPicker:
    """`pick_threshold` remembered per indicator, type, classes and area type: thousands of
    schools share a few bands. Also remembers, per school type, which concrete report keys each
    indicator sums (see `school_plan`)."""

    def __init__(self):
        self._memo = {}
        self._plans = {}

    def school_plan(self, indicators, school_type, levels):
        """[(indicator, numerator keys, denominator keys)] for a whole school of `school_type`
        teaching `levels`: "{level}" keys expanded over the levels the indicator applies to;
        indicators that apply to none of them left out."""
        key = (id(indicators), school_type)
        if key not in self._plans:
            plan = []
            for indicator in indicators:
                used = indicator.levels_within(levels)
                if used:
                    plan.append(
                        (
                            indicator,
                            expand_keys(indicator.numerator, used),
                            expand_keys(indicator.denominator, used),
                        )
                    )
            self._plans[key] = plan
        return self._plans[key]

    def __call__(self, indicator, applies_to, classes, area_type):
        key = (indicator.code, applies_to, classes, area_type)
        try:
            return self._memo[key]
        except KeyError:
            found = self._memo[key] = pick_threshold(indicator.thresholds, applies_to, classes, area_type)
            return found

    def value(self, indicator, applies_to, classes, area_type):
        """The chosen threshold's value, or None when none applies."""
        chosen = self(indicator, applies_to, classes, area_type)
        return None if chosen is None else chosen.value
