"""The campaign's arithmetic, on plain numbers: which tracked schools are severe, and what
closing a shortfall takes (how many to buy, what it costs)."""

import math
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction

FACILITY = "facility"
CENT = Decimal("0.01")
# Units counted in whole things: 36.4 computers short means 37 to buy, never 36.4. Areas and
# money are bought as measured.
COUNTED_UNITS = frozenset({"台", "册", "套", "件", "个", "间", "人", "名"})


def is_severe(failed_count, categories, *, min_failed, facility_counts):
    """Whether a school's failed items make its problems severe: any failed facility item when
    `facility_counts`, or at least `min_failed` failed items. `categories`: those of the failed
    items."""
    return (facility_counts and FACILITY in set(categories)) or failed_count >= min_failed


def purchase_quantity(shortfall, unit):
    """What must be added to close `shortfall` (a Decimal in `unit`): whole units rounded up for
    counted things, the shortfall itself for measured ones; nothing for no shortfall."""
    if shortfall is None or shortfall <= 0:
        return Decimal(0)
    if unit in COUNTED_UNITS:
        return shortfall.to_integral_value(rounding=ROUND_CEILING)
    return shortfall


def estimated_cost(quantity, unit_cost):
    """The cost of `quantity` at `unit_cost` yuan each, to the fen (half up)."""
    return (Decimal(quantity) * Decimal(unit_cost)).quantize(CENT, rounding=ROUND_HALF_UP)


def school_purchase_quantity(parts, unit, *, shared):
    """What one school buys to close one item in each of its failing units.

    `parts`: (shortfall, share) per failing unit (the whole school, or a level part), each
    shortfall in that unit's own account. A thing kept per level (`shared` false), or a whole
    school's item (share 1), is bought for each unit: their quantities add up. A thing the levels
    share (computers, books of a nine-year school) reaches a level part at its share only: part p
    needs shortfall ÷ share of it, and one purchase serves every part, so the school buys the
    most any part needs. None when a needed share is unknown (0 or missing).
    """
    if not shared:
        return sum((purchase_quantity(shortfall, unit) for shortfall, _share in parts), Decimal(0))
    most = Fraction(0)
    for shortfall, share in parts:
        if shortfall is None or shortfall <= 0:
            continue
        if not share:
            return None
        most = max(most, Fraction(shortfall) / Fraction(share))
    # Up to the fen first (a measured amount), then to whole units for a counted thing.
    cents = math.ceil(most * 100)
    return purchase_quantity(Decimal(cents) / 100, unit)
