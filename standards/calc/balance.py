"""Difference coefficients between schools, student-weighted (docs/methods.md)."""

import math
from dataclasses import dataclass
from decimal import Decimal

from schools.levels import TYPE_LEVELS
from standards.calc.split import level_shares


@dataclass(frozen=True)
class Coefficient:
    mean: float | None
    cv: float | None
    students: float


def difference_coefficient(units, scale=1):
    """Student-weighted coefficient of variation of x_i = R_i / n_i × scale.

    `units` is an iterable of (n_i, R_i); units with no students are left out. Population
    form: x̄ = ΣR / Σn × scale, s = sqrt(Σ (n_i/N)(x_i − x̄)²), CV = s / x̄. Returns no CV
    when there are no students or the mean is 0.
    """
    pairs = [(float(n), float(r)) for n, r in units if n]
    total = math.fsum(n for n, _ in pairs)
    if not total:
        return Coefficient(None, None, 0.0)
    scale = float(scale)
    mean = math.fsum(r for _, r in pairs) / total * scale
    if not mean:
        return Coefficient(mean, None, total)
    variance = math.fsum(n / total * (r / n * scale - mean) ** 2 for n, r in pairs)
    return Coefficient(mean, math.sqrt(variance) / mean, total)


def merge_teaching_points(schools):
    """Fold each teaching point's values into its parent's (when the parent is present)."""
    by_code = {s.code: s for s in schools}
    merged, kept = {}, []
    for school in schools:
        parent = by_code.get(school.parent_code) if school.teaching_point else None
        if parent is None:
            kept.append(school)
            continue
        target = merged.setdefault(parent.code, dict(parent.values))
        for key, value in school.values.items():
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                target[key] = (target.get(key) or 0) + value
    for school in kept:
        if school.code in merged:
            school.values = merged[school.code]
    return kept


def balance_units(schools, rule):
    """The schools that take part, per the rule's treatment of private schools and teaching
    points (`rule` has include_private, teaching_points, teaching_point_min_students)."""
    schools = [s for s in schools if rule.include_private or s.ownership != "private"]
    if rule.teaching_points == "exclude":
        return [s for s in schools if not s.teaching_point]
    if rule.teaching_points == "merge":
        return merge_teaching_points(schools)
    minimum = rule.teaching_point_min_students
    return [
        s
        for s in schools
        if not s.teaching_point
        or sum(s.values.get(f"students_{lvl}") or 0 for lvl in TYPE_LEVELS[s.school_type]) >= minimum
    ]


@dataclass
class LevelInput:
    code: str
    students: float
    amounts: dict  # indicator code → (R_i, n_i)


def _plan(keys, level):
    """Split an indicator side into the level's own keys and the shared (level-free) keys."""
    own = tuple(k.format(level=level) for k in keys if "{level}" in k)
    shared = tuple(k for k in keys if "{level}" not in k)
    return own, shared


def _amount(values, plan, share):
    own, shared = plan
    total = 0.0
    for key in own:
        total += float(values.get(key) or 0)
    if shared:
        common = 0.0
        for key in shared:
            common += float(values.get(key) or 0)
        total += common * share
    return total


def level_inputs(schools, level, indicators, weights):
    """Per school of one level (spanning schools split): its students and, per indicator, the
    resource R_i and the denominator n_i, in floats (the coefficient is a float anyway)."""
    plans = [(ind.code, _plan(ind.numerator, level), _plan(ind.denominator, level)) for ind in indicators]
    rows = []
    for school in schools:
        levels = TYPE_LEVELS[school.school_type]
        if level not in levels:
            continue
        values = school.values
        students = values.get(f"students_{level}") or 0
        if not students:
            continue
        if len(levels) == 1:
            share = 1.0
        else:
            counts = {lvl: values.get(f"students_{lvl}") or 0 for lvl in levels}
            share = float(level_shares(school.school_type, counts, weights).get(level, 0))
        amounts = {
            code: (_amount(values, numerator, share), _amount(values, denominator, share))
            for code, numerator, denominator in plans
        }
        rows.append(LevelInput(school.code, float(students), amounts))
    return rows
