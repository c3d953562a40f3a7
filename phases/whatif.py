"""What-if: a school's compliance and the county's difference coefficients as they would be once
chosen gaps close, computed by the same engine (standards.calc) on figures held in memory.

Closing a gap here means: in the school's latest approved report, the gap's indicator numerator
moves by exactly what its item lacks (the engine's shortfall, in the numerator's unit) — raised
for an "at least" item, lowered for an "at most" one — in whole units for counted fields and to
the cent (0.01) for areas and money, so that the item passes at the smallest such step (a value
landing exactly on its threshold passes). Where the numerator sums several fields the change
goes first to fields with room below the whole they belong to (qualified teachers below
teachers); a field raised above its whole (concentrated green above green area) raises the whole
too, so that the figures stay a valid report. Every chosen gap is checked again after all the
changes, since one change can move another item (more teachers lower the qualified share).

No query and no write here: the caller reads the reports and the standards.
"""

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from schools.fields import COUNT_KEYS, PART_OF_WHOLE
from schools.levels import TYPE_LEVELS
from standards.balance import LEVELS, level_balance
from standards.calc.balance import balance_units
from standards.calc.compliance import part_amounts
from standards.calc.split import level_shares
from standards.calc.thresholds import expand_keys

CENT = Decimal("0.01")
# Rounds of changes before giving up on a gap that keeps failing (a field that cannot go lower).
ROUNDS = 6
# A share rounded in the engine is off by far less than one step: a few steps back are enough.
TIGHTEN_STEPS = 3
WHOLES = dict(PART_OF_WHOLE)


@dataclass(frozen=True)
class GapRef:
    """A gap as the what-if needs it: its indicator (by code) and its level part ("" for a whole
    school)."""

    id: int
    indicator: str
    part: str = ""


@dataclass
class Change:
    key: str
    before: object
    after: object

    @property
    def delta(self):
        return (self.after or 0) - (self.before or 0)


@dataclass
class GapOutcome:
    gap: GapRef
    before: object  # ItemResult in the latest approved report, or None when the item is not evaluated
    after: object  # ItemResult once closed
    changes: list = field(default_factory=list)

    @property
    def closed(self):
        return self.after is not None and self.after.passed is True


@dataclass
class SchoolOutcome:
    school: object  # SchoolInput as read (its latest approved report)
    year: int
    after_values: dict
    before_units: list
    after_units: list
    gaps: list
    changes: list  # every field that changed, in order: Change(key, report value, what-if value)


def _granule(key):
    return 1 if key in COUNT_KEYS else CENT


def _up(amount, key):
    """`amount` (a Fraction ≥ 0) in `key`'s steps, rounded up: whole units or cents."""
    step = Fraction(_granule(key))
    steps = -(-amount // step)
    value = Decimal(int(steps)) * Decimal(_granule(key))
    return int(value) if key in COUNT_KEYS else value


def _number(values, key):
    value = values.get(key)
    return 0 if value is None else value


def _find(units, indicator, part):
    for unit in units:
        if unit.part == part:
            for item in unit.items:
                if item.indicator.code == indicator:
                    return item
    return None


def _plan(specs, school, item, part):
    """(numerator, denominator, [(key, multiplier)]): the item's amounts as the engine sums them
    and the fields its numerator is made of, each with what one unit of it adds to the numerator
    (1, or a spanning school's share of a shared field when the standard judges level parts)."""
    indicator, values = item.indicator, school.values
    if not part:
        used = indicator.levels_within(TYPE_LEVELS[school.school_type])
        numerator_keys = expand_keys(indicator.numerator, used)
        numerator = sum(Decimal(_number(values, key)) for key in numerator_keys)
        denominator = sum(Decimal(_number(values, key)) for key in expand_keys(indicator.denominator, used))
        return numerator, denominator, [(key, Fraction(1)) for key in numerator_keys]
    students = {level: _number(values, f"students_{level}") for level in TYPE_LEVELS[school.school_type]}
    shares = level_shares(school.school_type, students, specs.weights)
    numerator, denominator = part_amounts(indicator, school, part, shares)
    own = [(key.format(level=part), Fraction(1)) for key in indicator.numerator if "{level}" in key]
    share = Fraction(shares.get(part, Decimal(0)))
    shared = [(key, share) for key in indicator.numerator if "{level}" not in key and share]
    return numerator, denominator, own + shared


def _room(values, key):
    """How far `key` may rise before it passes the whole it belongs to (None: no whole)."""
    wholes = WHOLES.get(key)
    if not wholes:
        return None
    return max(Fraction(sum(_number(values, whole) for whole in wholes)) - Fraction(_number(values, key)), 0)


def _move(values, item, numerator, denominator, keys):
    """Change the fields in `keys` by exactly what the failed `item` lacks. Returns the changes."""
    indicator = item.indicator
    target = Fraction(item.threshold) * Fraction(denominator) / Fraction(indicator.scale)
    raising = indicator.direction != "le"
    need = target - Fraction(numerator) if raising else Fraction(numerator) - target
    changes = []
    for index, (key, weight) in enumerate(keys):
        if need <= 0:
            break
        current = _number(values, key)
        if raising:
            room = None if index == len(keys) - 1 else _room(values, key)
            wanted = need / weight if room is None else min(need / weight, room)
        else:
            wanted = min(need / weight, Fraction(current))
        step = _up(wanted, key)
        if not step:
            continue
        after = current + step if raising else max(current - step, 0)
        values[key] = after
        changes.append(Change(key, current, after))
        need -= Fraction(abs(after - current)) * weight
    return changes


def _nudge(values, keys, raising):
    """One more step on the first field that can still move (a share rounded the wrong way)."""
    for key, _weight in keys:
        current = _number(values, key)
        if raising or current >= _granule(key):
            after = current + _granule(key) if raising else current - _granule(key)
            values[key] = after
            return [Change(key, current, after)]
    return []


def _tighten(specs, school, gap, changes):
    """Step the last field moved back toward its report value while the gap's item still passes:
    a spanning school's share is a rounded decimal in the engine, so the exact amount may be one
    step more than the engine needs."""
    if not changes:
        return []
    key, original = changes[-1].key, changes[-1].before
    step = _granule(key) if changes[-1].after > original else -_granule(key)
    moved = []
    for _step in range(TIGHTEN_STEPS):
        if school.values[key] == original:
            break
        before = school.values[key]
        school.values[key] = before - step
        item = _find(specs.evaluate(school), gap.indicator, gap.part)
        if item is None or item.passed is not True:
            school.values[key] = before
            break
        moved.append(Change(key, before, school.values[key]))
    return moved


def _keep_wholes(values):
    """Raise each whole that a part now exceeds (its first field) by the excess, until none does."""
    changes = []
    for _ in range(len(PART_OF_WHOLE)):
        moved = False
        for part, wholes in PART_OF_WHOLE:
            excess = _number(values, part) - sum(_number(values, whole) for whole in wholes)
            if excess > 0:
                whole = wholes[0]
                before = _number(values, whole)
                values[whole] = before + excess
                changes.append(Change(whole, before, values[whole]))
                moved = True
        if not moved:
            break
    return changes


def _merge(changes, original):
    """One Change per field, from its report value to its final value, in the order first moved."""
    merged = {}
    for change in changes:
        merged.setdefault(change.key, Change(change.key, original.get(change.key), change.after))
        merged[change.key].after = change.after
    return [change for change in merged.values() if change.after != change.before]


def close_gaps(specs, school, year, gaps):
    """The school's compliance before and after closing `gaps` (GapRefs of the school), from its
    latest approved report `school` (a SchoolInput with every report field) of `year`; `specs`
    is the campaign standard's `standards.services.Specs`."""
    before_units = specs.evaluate(school)
    after = copy.copy(school)
    after.values = dict(school.values)
    per_gap = {gap.id: [] for gap in gaps}
    every = []
    for _round in range(ROUNDS):
        failing = False
        for gap in gaps:
            item = _find(specs.evaluate(after), gap.indicator, gap.part)
            if item is None or item.passed is not False:
                continue
            failing = True
            numerator, denominator, keys = _plan(specs, after, item, gap.part)
            # Nothing moved means the exact amount was already there and the engine's rounding
            # of a share still says short: one more step.
            changes = _move(after.values, item, numerator, denominator, keys) or _nudge(
                after.values, keys, item.indicator.direction != "le"
            )
            changes += _tighten(specs, after, gap, changes)
            per_gap[gap.id] += changes
            every += changes
        every += _keep_wholes(after.values)
        if not failing:
            break
    after_units = specs.evaluate(after)
    outcomes = [
        GapOutcome(
            gap,
            _find(before_units, gap.indicator, gap.part),
            _find(after_units, gap.indicator, gap.part),
            _merge(per_gap[gap.id], school.values),
        )
        for gap in gaps
    ]
    return SchoolOutcome(
        school=school,
        year=year,
        after_values=after.values,
        before_units=before_units,
        after_units=after_units,
        gaps=outcomes,
        changes=_merge(every, school.values),
    )


def balance(inputs, indicators, rule, weights):
    """{level: level_balance(...)} over `inputs` (SchoolInputs of one year), exactly as
    `standards.balance.balance_compute` builds it; the inputs are not changed."""
    schools = balance_units([copy.copy(s) for s in inputs], rule)
    names = {school.code: school.name for school in schools}
    return {level: level_balance(schools, level, indicators, rule, weights, names) for level in LEVELS}


def with_values(inputs, replaced):
    """Copies of `inputs` with the values of the reports in `replaced` (report id → values)."""
    found = []
    for school in inputs:
        school = copy.copy(school)
        if school.report_id in replaced:
            school.values = {key: replaced[school.report_id].get(key) for key in school.values}
        found.append(school)
    return found
